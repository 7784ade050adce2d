// Jump links need no API call: https://discord.com/channels/{guild}/{channel}/{message}.
export const WEB_URL = 'https://discord.com';

export function jumpLink(v: { serverId: string; channelId: string; messageId: string }): string {
  return `${WEB_URL}/channels/${v.serverId}/${v.channelId}/${v.messageId}`;
}
