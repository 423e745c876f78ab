package io.github.cameltokenrefresh.store.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-GCM for token records at rest. The provider and account are authenticated with each record, so a record copied
 * over another account's file fails to decrypt instead of handing that account someone else's tokens.
 */
public final class RecordCipher {

    private static final byte[] MAGIC = "TRE1".getBytes(StandardCharsets.US_ASCII);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    public RecordCipher(SecretKey key) {
        this.key = key;
    }

    public boolean uses(SecretKey other) {
        return other != null && MessageDigest.isEqual(key.getEncoded(), other.getEncoded());
    }

    public static boolean isEncrypted(byte[] bytes) {
        return bytes.length > MAGIC.length && Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC);
    }

    public byte[] encrypt(String provider, String account, byte[] plain) throws IOException {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData(provider, account));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(MAGIC.length + IV_BYTES + sealed.length).put(MAGIC).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt token record: " + e.getClass().getSimpleName(), e);
        }
    }

    public byte[] decrypt(String provider, String account, byte[] bytes) throws IOException {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, MAGIC.length, IV_BYTES));
            cipher.updateAAD(associatedData(provider, account));
            return cipher.doFinal(bytes, MAGIC.length + IV_BYTES, bytes.length - MAGIC.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot decrypt token record of provider '" + provider + "' account '" + account
                                  + "': wrong storeEncryptionKey, or the file was altered or copied from another account");
        }
    }

    private static byte[] associatedData(String provider, String account) {
        return (provider + "\u0000" + account).getBytes(StandardCharsets.UTF_8);
    }
}
