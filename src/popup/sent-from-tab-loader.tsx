import { laterModule, useModuleAfterPaint } from '../ui/later-module';

/** Sent from this tab (SentFromTab.tsx): fetched after the popup paints, to keep its first load in budget. */
const sentFromTab = laterModule(() => import('./SentFromTab'));

/** Shows Sent from this tab once its module has arrived. */
export function SentFromTabAfterPaint() {
  const SentFromTab = useModuleAfterPaint(sentFromTab)?.SentFromTab;
  return SentFromTab ? <SentFromTab /> : null;
}
