// What the options page needs only once Import, Save provider or Export is clicked: the Provider
// JSON validator and the token-move confirmation; and Add from preset, with the preset table. One
// chunk, fetched after the page has painted (README, Performance), so the page's first load leaves
// them out.
export { exportProviderJson } from '../providers/provider';
export { fillFromMetadata } from '../providers/from-metadata';
export { redirectPagesIn } from '../providers/redirect-page';
export { providerEndpointsIn } from './provider-endpoints';
export { CHANGES_DIFFER, leftToDo, TokenMoveConfirmation } from './TokenMoveConfirmation';
export { PresetForm } from './PresetForm';
