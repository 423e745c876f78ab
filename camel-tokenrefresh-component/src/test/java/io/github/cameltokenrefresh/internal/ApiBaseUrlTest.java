package io.github.cameltokenrefresh.internal;

import java.time.Instant;
import java.util.List;

import io.github.cameltokenrefresh.token.Token;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which URLs lie under an API base (what gets a token as it is sent), and which bases are refused at route start. */
class ApiBaseUrlTest {

    private static final ApiBaseUrl AWEBER = ApiBaseUrl.parse("https://api.aweber.com/1.0", false);

    @Test
    void urlsUnderTheBaseOnASegmentBoundary() {
        assertTrue(AWEBER.covers("https://api.aweber.com/1.0"));
        assertTrue(AWEBER.covers("https://api.aweber.com/1.0/"));
        assertTrue(AWEBER.covers("https://api.aweber.com/1.0/accounts/1/lists?ws.size=10"));
        assertTrue(AWEBER.covers("https://API.AWeber.com:443/1.0/accounts"), "host case and the default port");
        assertFalse(AWEBER.covers("https://api.aweber.com/1.0x/accounts"), "not a segment boundary");
        assertFalse(AWEBER.covers("https://api.aweber.com/2.0/accounts"), "another path");
        assertFalse(AWEBER.covers("https://api.aweber.com/"), "above the base");
    }

    @Test
    void otherSchemesHostsAndPortsAreOutside() {
        assertFalse(AWEBER.covers("http://api.aweber.com/1.0/accounts"), "scheme");
        assertFalse(AWEBER.covers("https://api.aweber.com:8443/1.0/accounts"), "port");
        assertFalse(AWEBER.covers("https://aweber.com/1.0/accounts"), "parent domain");
        assertFalse(AWEBER.covers("https://x.api.aweber.com/1.0/accounts"), "subdomain");
        ApiBaseUrl local = ApiBaseUrl.parse("http://127.0.0.1:8080", true);
        assertTrue(local.covers("http://127.0.0.1:8080/anything"));
        assertFalse(local.covers("http://localhost:8080/anything"), "same socket, another name: another host");
        assertFalse(local.covers("http://127.0.0.1:8081/anything"), "another port of the same host");
    }

    @Test
    void hostTricksAreOutside() {
        assertFalse(AWEBER.covers("https://api.aweber.com.evil.com/1.0/accounts"), "suffix");
        assertFalse(AWEBER.covers("https://api.aweber.com@evil.com/1.0/accounts"), "userinfo: the host is evil.com");
        assertFalse(AWEBER.covers("https://user:pw@api.aweber.com/1.0/accounts"), "credentials in the URL");
        assertFalse(AWEBER.covers("https://api.aweber.com./1.0/accounts"), "trailing dot");
        assertFalse(AWEBER.covers("https://api.awéber.com/1.0/accounts"), "IDN look-alike");
        assertFalse(AWEBER.covers("https://api.xn--awber-esa.com/1.0/accounts"), "its punycode is another host");
        assertFalse(AWEBER.covers("https://api.aweber.com/1.0/../admin"), "dot segments");
        assertFalse(AWEBER.covers("https://api.aweber.com/1.0/%2E%2E/admin"), "encoded dot segments");
        assertFalse(AWEBER.covers("https://api.aweber.com\\@evil.com/1.0"), "not a URL");
        assertFalse(AWEBER.covers("//api.aweber.com/1.0/accounts"), "no scheme");
        assertFalse(AWEBER.covers((String) null));
    }

    @Test
    void wrongBasesAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ApiBaseUrl.parse("http://api.example.com", false))
                .getMessage().contains("insecureHttp"));
        assertThrows(IllegalArgumentException.class, () -> ApiBaseUrl.parse("api.example.com/v1", false));
        assertThrows(IllegalArgumentException.class, () -> ApiBaseUrl.parse("ftp://api.example.com", false));
        assertThrows(IllegalArgumentException.class, () -> ApiBaseUrl.parse("https://u:p@api.example.com", false));
        assertThrows(IllegalArgumentException.class, () -> ApiBaseUrl.parse("https://api.example.com/v1?x=1", false));
        assertThrows(IllegalArgumentException.class, () -> ApiBaseUrl.parse("https://api.example.com/v1/../x", false));
    }

    @Test
    void placeholdersAreFilledPerAccountFromItsTokenAnswer() {
        AccountApiBase base = new AccountApiBase(List.of("{instance_url}/services/data"), false);
        Token east = token("https://east.my.salesforce.com");
        Token west = token("https://west.my.salesforce.com/");
        assertTrue(base.perAccount());
        assertTrue(covers(base, east, "https://east.my.salesforce.com/services/data/v60.0/query"));
        assertFalse(covers(base, east, "https://west.my.salesforce.com/services/data/v60.0/query"), "another account's");
        assertTrue(covers(base, west, "https://west.my.salesforce.com/services/data/v60.0/query"));
        assertEquals(List.of(), base.forAccount(Token.builder().accessToken("a").issuedAt(Instant.EPOCH).build()), "no value: no base");
        assertEquals(List.of(), base.forAccount(token("https://u:p@evil.com")), "a value that is no base: none");
        assertEquals(List.of(), base.forAccount(token("http://plain.example.com")), "http without insecureHttp");
        AccountApiBase.check("{instance_url}/services/data", false);
        AccountApiBase.check("https://{region}.example.com/v1", false);
        assertThrows(IllegalArgumentException.class, () -> AccountApiBase.check("{instance_url}?q", false));
    }

    private static boolean covers(AccountApiBase base, Token token, String url) {
        return base.forAccount(token).stream().anyMatch(b -> b.covers(url));
    }

    private static Token token(String instanceUrl) {
        return Token.builder().accessToken("a").issuedAt(Instant.EPOCH).expiresAt(Instant.EPOCH.plusSeconds(60))
                .additionalField("instance_url", instanceUrl).build();
    }
}
