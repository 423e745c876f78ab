package io.github.cameltokenrefresh.internal.wire;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/** application/x-www-form-urlencoded (RFC 6749 Appendix B), for token request bodies, queries and links. */
public final class FormEncoding {

    private FormEncoding() {
    }

    /** The pairs in their order, each name and value encoded, joined with {@code &}. */
    public static String encode(Map<String, String> params) {
        StringJoiner joiner = new StringJoiner("&");
        params.forEach((name, value) -> joiner.add(encode(name) + "=" + encode(value)));
        return joiner.toString();
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
