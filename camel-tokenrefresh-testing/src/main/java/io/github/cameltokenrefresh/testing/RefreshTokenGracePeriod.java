package io.github.cameltokenrefresh.testing;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A provider's grace period for refresh-token rotation (Okta's "grace period for token rotation", Auth0's "reuse
 * interval"), emulated in front of a strictly rotating server: a token call that carries the immediately previous
 * refresh token within the grace period is sent on with the current one instead, and the server rotates as usual
 * (after which the token used under grace is two generations old and refused). It learns rotations from the answers
 * relayed back, per refresh-token chain, so several accounts can share one proxy. Zero (the default) is strict rotation.
 */
final class RefreshTokenGracePeriod {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REMEMBERED = 100_000;

    private record Rotation(String current, Instant at) {
    }

    private final Supplier<Clock> clock;
    private volatile Duration grace = Duration.ZERO;
    /** previous refresh token -> its rotation, while the token it was rotated to has not been used itself. */
    private final Map<String, Rotation> rotations = new LinkedHashMap<>(); // guarded by this
    /** current refresh token -> the previous one it replaced. */
    private final Map<String, String> previousOf = new LinkedHashMap<>(); // guarded by this
    /** Every refresh token a relayed answer rotated away (bounded). */
    private final Set<String> rotatedAway = new LinkedHashSet<>(); // guarded by this
    private final AtomicInteger uses = new AtomicInteger();

    RefreshTokenGracePeriod(Supplier<Clock> clock) {
        this.clock = clock;
    }

    void grace(Duration grace) {
        this.grace = Objects.requireNonNull(grace, "grace");
    }

    /** The request to send upstream: with the current refresh token if it carried the previous one within grace. */
    ProxiedRequest apply(ProxiedRequest request) {
        if (grace.isZero()) {
            return request;
        }
        String sent = refreshTokenOf(request);
        synchronized (this) {
            Rotation rotation = sent == null ? null : rotations.get(sent);
            if (rotation == null || !withinGrace(rotation)) {
                return request;
            }
            uses.incrementAndGet();
            return request.withBody(replaceRefreshToken(request, sent, rotation.current()));
        }
    }

    /** Learns a rotation from a relayed answer to the request that was sent upstream. */
    void observe(ProxiedRequest sentUpstream, UpstreamResponse response) {
        String sent = refreshTokenOf(sentUpstream);
        if (sent == null || response.status() != 200) {
            return;
        }
        try {
            JsonNode node = JSON.readTree(response.body());
            JsonNode issued = node == null ? null : node.get("refresh_token");
            if (issued != null && issued.isTextual() && !issued.asText().equals(sent)) {
                recordRotation(sent, issued.asText());
            }
        } catch (IOException e) {
            // not JSON: no rotation to track
        }
    }

    private synchronized void recordRotation(String previous, String current) {
        // the token rotated away two generations ago is no longer the previous one: no grace for it
        String older = previousOf.remove(previous);
        if (older != null) {
            rotations.remove(older);
        }
        rotations.put(previous, new Rotation(current, clock.get().instant()));
        previousOf.put(current, previous);
        if (rotatedAway.size() < MAX_REMEMBERED) {
            rotatedAway.add(previous);
        }
    }

    /** Whether this refresh token was rotated away less than the grace period ago and is still the previous one. */
    synchronized boolean accepts(String refreshToken) {
        Rotation rotation = rotations.get(refreshToken);
        return rotation != null && withinGrace(rotation);
    }

    synchronized boolean wasRotatedAway(String refreshToken) {
        return rotatedAway.contains(refreshToken);
    }

    /** How often the previous refresh token was accepted within the grace period. */
    int uses() {
        return uses.get();
    }

    private boolean withinGrace(Rotation rotation) {
        return clock.get().instant().isBefore(rotation.at().plus(grace));
    }

    /** The refresh token of a form or JSON (refresh_token or refreshToken) token call, or null. */
    static String refreshTokenOf(ProxiedRequest request) {
        String text = request.bodyText();
        if (request.isForm()) {
            for (String pair : text.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && "refresh_token".equals(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8))) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }
        try {
            JsonNode node = JSON.readTree(text);
            for (String field : List.of("refresh_token", "refreshToken")) {
                if (node != null && node.hasNonNull(field)) {
                    return node.get(field).asText();
                }
            }
        } catch (IOException e) {
            // neither form nor JSON
        }
        return null;
    }

    private static byte[] replaceRefreshToken(ProxiedRequest request, String from, String to) {
        String text = request.bodyText();
        if (request.isForm()) {
            text = text.replace("refresh_token=" + URLEncoder.encode(from, StandardCharsets.UTF_8),
                                "refresh_token=" + URLEncoder.encode(to, StandardCharsets.UTF_8));
        } else {
            text = text.replace("\"" + from + "\"", "\"" + to + "\"");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
