import { laterModule } from '../ui/later-module';

/** Use on this tab only (TabChoice.tsx): fetched after the popup paints, to keep its first load in budget. */
export const tabChoice = laterModule(() => import('./TabChoice'));
