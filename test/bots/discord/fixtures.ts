// A test server as Discord would send it, and the gateway payloads the tests dispatch: messages,
// slash commands, context-menu commands, button clicks and modal submits.
import {
  ChannelType,
  ComponentType,
  InteractionType,
  ApplicationCommandType,
  ApplicationCommandOptionType,
  MessageType,
  PermissionFlagsBits,
  type APIAttachment,
  type APIChannel,
  type APIEmbed,
  type APIGuildMember,
  type APIMessage,
  type APIRole,
  type APIUser,
  type GuildMemberFlags,
  type RoleFlags,
} from 'discord-api-types/v10';
import { shardOf, snowflake, type FakeGuild } from './fake-discord.js';

const P = PermissionFlagsBits;
const perms = (...bits: bigint[]): string => String(bits.reduce((a, b) => a | b, 0n));

export function user(username: string, bot = false): APIUser {
  return { id: snowflake(), username, discriminator: '0', global_name: null, avatar: null, ...(bot ? { bot: true } : {}) };
}

function role(id: string, name: string, permissions: string, position: number): APIRole {
  return { id, name, color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null }, hoist: false, icon: null, unicode_emoji: null, position, permissions, managed: false, mentionable: false, flags: 0 as RoleFlags };
}

function textChannel(guildId: string, name: string, type: ChannelType.GuildText | ChannelType.GuildForum = ChannelType.GuildText): APIChannel {
  return { id: snowflake(), guild_id: guildId, name, type, position: 0, permission_overwrites: [], nsfw: false, parent_id: null } as APIChannel;
}

function member(u: APIUser, roles: string[]): APIGuildMember {
  return { user: u, roles, joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 as GuildMemberFlags } as APIGuildMember;
}

export interface World {
  guild: FakeGuild;
  bot: APIUser;
  applicationId: string;
  owner: APIUser;
  alice: APIUser;
  mod: APIUser;
  otherBot: APIUser;
  channels: { general: string; modlog: string; forum: string; post: string };
  roles: { mod: string; trusted: string; bot: string };
}

/**
 * One server: #general, #mod-log, a forum with one post; roles mod (Manage Messages), trusted, bot.
 * `bot` puts the same bot user in several worlds; `shard` ([id, count]) picks a guild id whose events
 * go to that shard.
 */
export function makeWorld(opts: { bot?: APIUser; shard?: [number, number] } = {}): World {
  const bot = opts.bot ?? user('toxguard', true);
  const owner = user('owner');
  const alice = user('alice');
  const mod = user('mod');
  const otherBot = user('otherbot', true);
  let guildId = snowflake();
  // The shard is the id's timestamp (ms) modulo the count: step the timestamp until it lands.
  for (let ms = Date.now(); opts.shard && shardOf(guildId, opts.shard[1]) !== opts.shard[0]; ) guildId = snowflake(++ms);
  const roles = { mod: snowflake(), trusted: snowflake(), bot: snowflake() };
  const general = textChannel(guildId, 'general');
  const modlog = textChannel(guildId, 'mod-log');
  const forum = textChannel(guildId, 'memes-forum', ChannelType.GuildForum);
  const post = {
    id: snowflake(),
    guild_id: guildId,
    name: 'a forum post',
    type: ChannelType.PublicThread,
    parent_id: forum.id,
    owner_id: alice.id,
    thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
    message_count: 0,
    member_count: 1,
    rate_limit_per_user: 0,
    flags: 0,
  } as unknown as APIChannel;
  const guild: FakeGuild = {
    id: guildId,
    name: 'Test server',
    ownerId: owner.id,
    roles: [
      role(guildId, '@everyone', perms(P.ViewChannel, P.SendMessages, P.ReadMessageHistory, P.AddReactions), 0),
      role(roles.trusted, 'trusted', '0', 1),
      role(roles.mod, 'mod', perms(P.ManageMessages, P.ModerateMembers), 2),
      role(roles.bot, 'toxguard', perms(P.ManageMessages, P.ModerateMembers, P.EmbedLinks, P.AddReactions), 3),
    ],
    channels: [general, modlog, forum],
    threads: [post],
    members: [member(bot, [roles.bot]), member(owner, []), member(alice, []), member(mod, [roles.mod]), member(otherBot, [])],
  };
  return {
    guild,
    bot,
    applicationId: snowflake(),
    owner,
    alice,
    mod,
    otherBot,
    channels: { general: general.id, modlog: modlog.id, forum: forum.id, post: post.id },
    roles,
  };
}

export interface MessageSpec {
  author: APIUser;
  content: string;
  channelId: string;
  roles?: string[];
  attachments?: Partial<APIAttachment>[];
  embeds?: APIEmbed[];
  id?: string;
  editedAt?: string;
  /** Omit for a DM. */
  guildId?: string;
}

/** MESSAGE_CREATE / MESSAGE_UPDATE data. */
export function messagePayload(spec: MessageSpec): APIMessage & { guild_id?: string; member?: Partial<APIGuildMember> } {
  const id = spec.id ?? snowflake();
  return {
    id,
    channel_id: spec.channelId,
    // A DM's MESSAGE_CREATE carries channel_type: discord.js needs it to build the uncached DM channel.
    ...(spec.guildId ? { guild_id: spec.guildId, member: { roles: spec.roles ?? [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 } } : { channel_type: ChannelType.DM }),
    author: spec.author,
    content: spec.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: spec.editedAt ?? null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: (spec.attachments ?? []).map((a) => ({ id: snowflake(), filename: 'file', size: 0, url: '', proxy_url: '', ...a }) as APIAttachment),
    embeds: spec.embeds ?? [],
    pinned: false,
    type: MessageType.Default,
  } as APIMessage & { guild_id?: string };
}

interface InteractionBase {
  world: World;
  user: APIUser;
  /** Permissions Discord computed for the member in the channel. */
  permissions: bigint;
  channelId?: string;
}

function base({ world, user: u, permissions, channelId }: InteractionBase, type: InteractionType, data: unknown, extra: object = {}): Record<string, unknown> {
  const channel = channelId ?? world.channels.general;
  return {
    id: snowflake(),
    application_id: world.applicationId,
    type,
    token: `itoken-${snowflake()}`,
    version: 1,
    guild_id: world.guild.id,
    guild: { id: world.guild.id, locale: 'en-US', features: [] },
    channel: { id: channel, type: ChannelType.GuildText },
    channel_id: channel,
    member: { user: u, roles: [], permissions: String(permissions), joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
    app_permissions: String(P.ManageMessages | P.ModerateMembers | P.SendMessages),
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: {},
    context: 0,
    attachment_size_limit: 10_485_760,
    data,
    ...extra,
  };
}

export const MOD_PERMISSIONS = P.ManageMessages | P.ModerateMembers | P.SendMessages | P.ViewChannel;
export const MEMBER_PERMISSIONS = P.SendMessages | P.ViewChannel;

/** `/toxicity <sub> [options]` as INTERACTION_CREATE data. */
export function slashCommand(b: InteractionBase, sub: string, options: Record<string, string | number> = {}): Record<string, unknown> {
  return base(b, InteractionType.ApplicationCommand, {
    id: snowflake(),
    name: 'toxicity',
    type: ApplicationCommandType.ChatInput,
    guild_id: b.world.guild.id,
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: sub,
        options: Object.entries(options).map(([name, value]) => ({
          name,
          value,
          type: typeof value === 'number' ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.String,
        })),
      },
    ],
  });
}

/** The "Check toxicity" message context-menu command on `target`. */
export function messageCommand(b: InteractionBase, target: APIMessage): Record<string, unknown> {
  return base(b, InteractionType.ApplicationCommand, {
    id: snowflake(),
    name: 'Check toxicity',
    type: ApplicationCommandType.Message,
    target_id: target.id,
    resolved: { messages: { [target.id]: target } },
  });
}

/** A click on the button `customId` of `message`. In a DM when `dm` is set. */
export function buttonClick(b: InteractionBase, customId: string, message: APIMessage, dm = false): Record<string, unknown> {
  const payload = base(b, InteractionType.MessageComponent, { custom_id: customId, component_type: ComponentType.Button }, { message });
  if (dm) {
    delete payload.guild_id;
    delete payload.guild;
    delete payload.member;
    payload.user = b.user;
    payload.channel = { id: message.channel_id, type: ChannelType.DM };
    payload.channel_id = message.channel_id;
    payload.context = 1;
  }
  return payload;
}

/** A submitted modal with one text field, from a DM. */
export function modalSubmit(b: InteractionBase, customId: string, field: string, value: string, channelId: string): Record<string, unknown> {
  const payload = base(b, InteractionType.ModalSubmit, {
    custom_id: customId,
    components: [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: field, value }] }],
  });
  delete payload.guild_id;
  delete payload.guild;
  delete payload.member;
  payload.user = b.user;
  payload.channel = { id: channelId, type: ChannelType.DM };
  payload.channel_id = channelId;
  payload.context = 1;
  return payload;
}
