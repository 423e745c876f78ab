package io.github.cameltokenrefresh.testing;

import java.time.Instant;

/**
 * What one successful token call issued, for the dialect to shape into its answer.
 *
 * @param refreshToken null when the answer carries none (the client keeps its own)
 * @param lifetime     seconds, or null when the answer states no expiry
 * @param scope        the scope asked for, or null
 */
record IssuedTokens(String accessToken, String refreshToken, Long lifetime, Instant issuedAt, String scope) {
}
