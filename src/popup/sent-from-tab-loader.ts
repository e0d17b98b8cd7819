import { laterModule } from '../ui/later-module';

/** Sent from this tab (SentFromTab.tsx): fetched after the popup paints, to keep its first load in budget. */
export const sentFromTab = laterModule(() => import('./SentFromTab'));
