// The `dashboard` section of toxguard's config file. The password itself is a secret
// (TOXGUARD_DASHBOARD_PASSWORD, or the secrets file), never a config key.
import { z } from 'zod';

export const DashboardConfigSchema = z
  .strictObject({
    /** Serve the moderator dashboard under /dashboard. Without a password it only serves loopback (if allowed). */
    enabled: z.boolean().default(true),
    /** Treat requests from 127.0.0.1/::1 as logged in (a single-user machine). Mutations still need the page's CSRF token. */
    allowLoopbackWithoutLogin: z.boolean().default(false),
    /**
     * A file holding the 32-byte session encryption key (raw or 64 hex characters); created with a
     * random key (mode 0600) when missing. Unset: the key is derived from the password with scrypt,
     * so sessions survive restarts and changing the password logs everyone out.
     */
    sessionKeyFile: z.string().min(1).optional(),
    /** How long a login lasts. */
    sessionHours: z.number().positive().max(24 * 30).default(12),
    /** The cookie's Secure flag: 'auto' sets it when the request came over HTTPS; set true behind a TLS-terminating proxy. */
    secureCookie: z.union([z.boolean(), z.literal('auto')]).default('auto'),
    /** Origins (scheme://host[:port]) besides the server's own Host allowed to send mutations (a reverse proxy's public name). */
    allowedOrigins: z.array(z.url()).default([]),
    /** Failed logins allowed per client address in 15 minutes (20 times that from all addresses together). */
    maxLoginFailures: z.number().int().min(1).max(1000).default(5),
  })
  .prefault({});

export type DashboardConfig = z.output<typeof DashboardConfigSchema>;
