package io.github.cameltokenrefresh.internal.jose;

import java.security.SignatureException;
import java.util.Arrays;

/**
 * ECDSA signatures between the JDK's ASN.1 DER form (SEQUENCE of two INTEGERs) and JWS's fixed-size concatenation of
 * R and S (RFC 7518 §3.4): a JOSE verifier refuses the DER form.
 */
public final class EcdsaSignatures {

    private EcdsaSignatures() {
    }

    /** R||S, each unsigned, big-endian and left-padded to {@code size} bytes. */
    public static byte[] derToConcatenated(byte[] der, int size) throws SignatureException {
        if (der.length < 8 || der[0] != 0x30) {
            throw new SignatureException("not a DER ECDSA signature");
        }
        int offset = (der[1] & 0x80) != 0 ? 2 + (der[1] & 0x7f) : 2; // long form length for large curves
        byte[] out = new byte[2 * size];
        offset = copyInteger(der, offset, out, 0, size);
        copyInteger(der, offset, out, size, size);
        return out;
    }

    /** The DER form of an R||S signature, for the JDK's verifier. */
    public static byte[] concatenatedToDer(byte[] concatenated) {
        int size = concatenated.length / 2;
        byte[] r = integer(Arrays.copyOfRange(concatenated, 0, size));
        byte[] s = integer(Arrays.copyOfRange(concatenated, size, 2 * size));
        int length = 2 + r.length + 2 + s.length;
        byte[] head = length < 128 ? new byte[] { 0x30, (byte) length } : new byte[] { 0x30, (byte) 0x81, (byte) length };
        byte[] der = new byte[head.length + length];
        System.arraycopy(head, 0, der, 0, head.length);
        int at = head.length;
        der[at++] = 0x02;
        der[at++] = (byte) r.length;
        System.arraycopy(r, 0, der, at, r.length);
        at += r.length;
        der[at++] = 0x02;
        der[at++] = (byte) s.length;
        System.arraycopy(s, 0, der, at, s.length);
        return der;
    }

    private static int copyInteger(byte[] der, int offset, byte[] out, int outOffset, int size)
            throws SignatureException {
        if (offset + 2 > der.length || der[offset] != 0x02) {
            throw new SignatureException("not a DER ECDSA signature");
        }
        int length = der[offset + 1] & 0xff;
        int start = offset + 2;
        if (start + length > der.length) {
            throw new SignatureException("not a DER ECDSA signature");
        }
        int skip = 0;
        while (skip < length && der[start + skip] == 0) {
            skip++; // a leading zero keeps a DER INTEGER positive; R||S is unsigned
        }
        int significant = length - skip;
        if (significant > size) {
            throw new SignatureException("ECDSA integer longer than " + size + " bytes");
        }
        System.arraycopy(der, start + skip, out, outOffset + size - significant, significant);
        return start + length;
    }

    private static byte[] integer(byte[] unsigned) {
        int skip = 0;
        while (skip < unsigned.length - 1 && unsigned[skip] == 0) {
            skip++;
        }
        byte[] trimmed = Arrays.copyOfRange(unsigned, skip, unsigned.length);
        if ((trimmed[0] & 0x80) == 0) {
            return trimmed;
        }
        byte[] positive = new byte[trimmed.length + 1];
        System.arraycopy(trimmed, 0, positive, 1, trimmed.length);
        return positive;
    }
}
