import { laterModule } from '../ui/later-module';

/** The Provider JSON clicks' chunk (provider-clicks.ts), shared by Provider JSON and the provider form. */
export const providerClicks = laterModule(() => import('./provider-clicks'));
