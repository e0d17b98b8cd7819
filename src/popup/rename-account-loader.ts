import { laterModule } from '../ui/later-module';

/** Rename (RenameAccount.tsx): fetched after the popup paints, to keep its first load in budget. */
export const renameAccount = laterModule(() => import('./RenameAccount'));
