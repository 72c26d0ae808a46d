/**
 * Apollo Client 4 picks development or production mode from the `development` export condition,
 * which Jest does not set; without this its development warnings (lost cache data, missing fields)
 * are silent and a test asserting there are none would prove nothing. Import before @apollo/client.
 */
(globalThis as { __DEV__?: boolean }).__DEV__ = true;
