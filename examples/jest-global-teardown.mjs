import { globalTeardownEmulator } from 'chute/testing';

export default globalTeardownEmulator;
