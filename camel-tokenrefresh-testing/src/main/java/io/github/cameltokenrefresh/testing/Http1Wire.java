package io.github.cameltokenrefresh.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Just enough HTTP/1.1 reading for {@link FaultInjectingTokenProxy}: CRLF lines, header blocks, and bodies framed by
 * Content-Length, by chunks, or (answers only) by the end of the connection. Everything is bounded: a line, the
 * header block and a body each have a maximum, past which reading fails.
 */
final class Http1Wire {

    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 64 * 1024;

    private Http1Wire() {
    }

    /** The first value of a header, any case, or null. */
    static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    static Map<String, List<String>> readHeaders(InputStream in) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int total = 0;
        String line;
        while (!(line = readLine(in, false)).isEmpty()) {
            total += line.length();
            if (total > MAX_HEADERS) {
                throw new IOException("headers too large");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    /**
     * @param toEof whether a body without length or chunks runs to the end of the connection (an answer) rather than
     *              being empty (a request)
     */
    static byte[] readBody(InputStream in, Map<String, List<String>> headers, int max, boolean toEof)
            throws IOException {
        String encoding = header(headers, "transfer-encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return readChunked(in, max);
        }
        String length = header(headers, "content-length");
        if (length != null) {
            long n = Long.parseLong(length.trim());
            if (n > max) {
                throw new IOException("body too large");
            }
            byte[] body = in.readNBytes((int) n);
            if (body.length != n) {
                throw new IOException("body cut short");
            }
            return body;
        }
        if (toEof) {
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                throw new IOException("body too large");
            }
            return body;
        }
        return new byte[0];
    }

    private static byte[] readChunked(InputStream in, int max) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = readLine(in, false);
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                while (!readLine(in, false).isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            if (body.size() + n > max) {
                throw new IOException("body too large");
            }
            body.write(in.readNBytes(n));
            readLine(in, false);
        }
    }

    /** A CRLF-terminated ISO-8859-1 line without the CRLF; null at EOF (or a reset) before any byte when allowed. */
    static String readLine(InputStream in, boolean eofAllowed) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (SocketException e) {
                if (eofAllowed && sb.length() == 0) {
                    return null; // reset while idle
                }
                throw e;
            }
            if (b < 0) {
                if (eofAllowed && sb.length() == 0) {
                    return null;
                }
                throw new IOException("connection closed mid-line");
            }
            if (b == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            if (sb.length() > MAX_LINE) {
                throw new IOException("line too long");
            }
            sb.append((char) b);
        }
    }
}
