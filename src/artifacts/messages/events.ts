/**
 * System lines of sms.db (message.item_type with group_action_type), as imessage-exporter reads them
 * (imessage-database tables/messages/models/group_action.rs 07ec923, message.rs): 1/0 added, 1/1
 * removed, 2 renamed, 3/0 left, 3/1 photo changed, 3/2 photo removed, 3/4 chat background changed,
 * 3/6 chat background removed (iOS 26), 4 location sharing (share_status 0 started, 1 stopped), 5 an
 * audio message was kept, 6 SharePlay.
 */
export function systemEvent(
  itemType: number,
  action: number,
  other: string | null,
  title: string | null,
  shareStatus: number,
): string {
  switch (itemType) {
    case 1:
      return action === 1
        ? `removed ${other ?? 'someone'} from the conversation`
        : `added ${other ?? 'someone'} to the conversation`;
    case 2:
      return title
        ? `named the conversation \u201c${title}\u201d`
        : 'removed the conversation name';
    case 3:
      return (
        {
          0: 'left the conversation',
          1: 'changed the group photo',
          2: 'removed the group photo',
          4: 'changed the chat background',
          6: 'removed the chat background',
        }[action] ?? `changed the conversation (group action ${action})`
      );
    case 4:
      return shareStatus === 1 ? 'stopped sharing location' : 'started sharing location';
    case 5:
      return 'kept an audio message';
    case 6:
      return 'used SharePlay (a FaceTime activity ended)';
    default:
      return `system event (item_type ${itemType})`;
  }
}

/**
 * message.service as words, and whether it went over satellite: 'iMessage', 'SMS', 'RCS' (iOS 18),
 * 'iMessageLite' (iMessage via satellite) and 'SatelliteSMS' (iOS 18) as imessage-exporter's
 * models/service.rs and Apple's IMDPersistence strings (ipsw-diffs 18.5 vs 26.0) name them.
 */
export function serviceOf(stored: string | null): { service: string | null; satellite: boolean } {
  if (stored === null) return { service: null, satellite: false };
  switch (stored.toLowerCase()) {
    case 'imessage':
      return { service: 'iMessage', satellite: false };
    case 'sms':
      return { service: 'SMS', satellite: false };
    case 'rcs':
      return { service: 'RCS', satellite: false };
    case 'imessagelite':
      return { service: 'iMessage (satellite)', satellite: true };
    case 'satellitesms':
      return { service: 'SMS (satellite)', satellite: true };
    default:
      return { service: stored, satellite: false };
  }
}
