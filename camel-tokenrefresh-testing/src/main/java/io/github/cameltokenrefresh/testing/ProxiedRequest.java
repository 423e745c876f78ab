package io.github.cameltokenrefresh.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request as {@link FaultInjectingTokenProxy} read it from a client: up to 1 MiB of body, header names
 * as sent.
 */
record ProxiedRequest(String method, String target, Map<String, List<String>> headers, byte[] body) {

    private static final int MAX_BODY = 1024 * 1024;

    /** The next request on the connection, or null when the client closed it before sending one. */
    static ProxiedRequest read(InputStream in) throws IOException {
        String line = Http1Wire.readLine(in, true);
        if (line == null) {
            return null;
        }
        String[] parts = line.split(" ");
        if (parts.length != 3) {
            throw new IOException("bad request line");
        }
        Map<String, List<String>> headers = Http1Wire.readHeaders(in);
        return new ProxiedRequest(parts[0], parts[1], headers, Http1Wire.readBody(in, headers, MAX_BODY, false));
    }

    /** The target without its query string. */
    String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    boolean isForm() {
        String type = Http1Wire.header(headers, "content-type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The same request with another body (the proxy sets Content-Length itself when it forwards). */
    ProxiedRequest withBody(byte[] newBody) {
        return new ProxiedRequest(method, target, headers, newBody);
    }
}
