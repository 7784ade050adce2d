// The `slack` section of toxguard's config file. Secrets (tokens, signing secret, OAuth client
// secret, state secret) are never here: they come from the environment (see src/config/config.ts).
import { z } from 'zod';

export const SlackConfigSchema = z
  .strictObject({
    /** Web API base URL with a trailing slash (env SLACK_API_URL): Slack's by default, or a test fake. */
    apiUrl: z.string().url().default('https://slack.com/api/'),
    /**
     * `http`: the Events API, slash commands and interactivity arrive as signed HTTP requests on
     * `port` + `eventsPath`. `socket`: Socket Mode over a WebSocket (needs SLACK_APP_TOKEN; no
     * public URL needed).
     */
    mode: z.enum(['http', 'socket']).default('http'),
    /** Port of the HTTP receiver (events, commands, interactivity, OAuth install). */
    port: z.number().int().min(0).max(65535).default(3000),
    /** Interface the HTTP receiver listens on. */
    host: z.string().default('0.0.0.0'),
    /** Path of the Request URL for events, slash commands and interactivity (all three share it). */
    eventsPath: z.string().startsWith('/').default('/slack/events'),
    /**
     * Members of this user group (id `S...`) count as moderators, besides workspace admins and
     * owners. Moderators may use `/toxicity` and the review buttons, and are never acted on.
     */
    moderatorGroupId: z.string().min(1).optional(),
    /** Alert channel (id `C...`) used when a workspace's policy sets no `alerts.channelId`. */
    alertChannelId: z.string().min(1).optional(),
    /** Reaction (emoji name, no colons) the bot adds to a flagged message. */
    flagReaction: z.string().regex(/^[a-z0-9_+-]+$/).default('warning'),
    /** Whether users.info / usergroups lookups for message authors are cached, and for how long. */
    moderatorCacheMs: z.number().int().min(0).default(60_000),
    /**
     * OAuth install for several workspaces: used when SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and
     * SLACK_STATE_SECRET are set (otherwise single-workspace mode with SLACK_BOT_TOKEN).
     */
    oauth: z
      .strictObject({
        /** Page that starts the install ("Add to Slack"). */
        installPath: z.string().startsWith('/').default('/slack/install'),
        /** Redirect URL registered in the app's OAuth settings (path part). */
        redirectUriPath: z.string().startsWith('/').default('/slack/oauth_redirect'),
        /** Full redirect URL, if the app is behind a proxy (must match the app's settings). */
        redirectUri: z.string().url().optional(),
        /** Slack's authorize page; changed only for tests. */
        authorizationUrl: z.string().url().default('https://slack.com/oauth/v2/authorize'),
      })
      .prefault({}),
    /** Retries of a failed Web API call made while handling an event (the outbox retries actions itself). */
    retries: z.number().int().min(0).max(10).default(2),
  })
  .prefault({});

export type SlackConfig = z.output<typeof SlackConfigSchema>;

/** Bot token scopes the app asks for at install (kept in step with manifest.yaml). */
export const BOT_SCOPES = [
  'channels:history',
  'groups:history',
  'chat:write',
  'reactions:write',
  'files:read',
  'users:read',
  'usergroups:read',
  'commands',
] as const;
