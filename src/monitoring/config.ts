// The `monitoring` section of toxguard.config.json: when drift is computed and when it alerts.
import { z } from 'zod';

export const MonitoringConfigSchema = z
  .strictObject({
    /** Compute drift in `serve` (once at start for missing days, then daily after midnight UTC). */
    enabled: z.boolean().default(true),
    /** Population stability index above which a score or length distribution has drifted. */
    psiBound: z.number().positive().default(0.2),
    /** Alert when the share of messages without text exceeds the training share by more than this. */
    noTextMargin: z.number().min(0).max(1).default(0.5),
    /** Alert when more than this share of images could not be scanned (download, format, size or time limits). */
    ocrFailureBound: z.number().min(0).max(1).default(0.2),
    /** A day (or a server's day) with fewer messages gets no distribution metrics: PSI on few samples is noise. */
    minMessages: z.number().int().positive().default(200),
    /** Fewest images for an OCR failure rate. */
    minImages: z.number().int().positive().default(20),
    /** How many past days `serve` fills in at start. */
    lookbackDays: z.number().int().positive().default(7),
    /** Also compute each server's own drift (servers with at least minMessages that day). */
    perServer: z.boolean().default(true),
  })
  .prefault({});

export type MonitoringConfig = z.infer<typeof MonitoringConfigSchema>;
