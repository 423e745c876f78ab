package io.github.cameltokenrefresh.testing;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/** One answer of the upstream server as {@link FaultInjectingTokenProxy} read it: up to 4 MiB of body. */
record UpstreamResponse(int status, String reason, Map<String, List<String>> headers, byte[] body) {

    private static final int MAX_BODY = 4 * 1024 * 1024;

    static UpstreamResponse read(InputStream in) throws IOException {
        String line = Http1Wire.readLine(in, false);
        String[] parts = line.split(" ", 3);
        if (parts.length < 2) {
            throw new IOException("bad status line");
        }
        Map<String, List<String>> headers = Http1Wire.readHeaders(in);
        return new UpstreamResponse(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", headers,
                                    Http1Wire.readBody(in, headers, MAX_BODY, true));
    }
}
