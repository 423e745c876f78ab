package io.github.cameltokenrefresh.catalog;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cameltokenrefresh.internal.wire.TokenClient;
import io.github.cameltokenrefresh.internal.wire.TokenRequest;
import io.github.cameltokenrefresh.internal.wire.TokenResponse;

/**
 * Token endpoints in memory that follow what vendors document, one rule set per quirk class, written from their
 * pages (not from the catalog): a preset that sends the wrong thing, or reads the answer wrongly, fails against them.
 * Every one checks RFC 6749 section 6 (the refresh token sent, the client authenticated once) and then its class.
 */
final class VendorTokenEndpoints {

    static final String CLIENT_ID = "client-id-1";
    static final String CLIENT_SECRET = "client-secret-1";
    static final String REFRESH_TOKEN = "rt-old-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What each vendor's documentation says about the refresh call and its answer. */
    record Vendor(String url, String clientAuthentication, String requiredParameter, String answer) {
    }

    /** The documented facts, by catalog name; vendors not listed get the plain RFC 6749 class. */
    static final Map<String, Vendor> VENDORS = Map.ofEntries(
            // developer.salesforce.com, "Understanding the OAuth Refresh Token Process": no expires_in, instance_url
            Map.entry("salesforce", new Vendor("https://login.salesforce.com/services/oauth2/token", null, null,
                    "{\"access_token\":\"at\",\"instance_url\":\"https://acme.my.salesforce.com\",\"token_type\":\"Bearer\","
                    + "\"issued_at\":\"1278448384422\",\"signature\":\"s\",\"id\":\"https://login.salesforce.com/id/1/2\"}")),
            Map.entry("salesforce-mydomain", new Vendor("https://acme.my.salesforce.com/services/oauth2/token", null, null,
                    "{\"access_token\":\"at\",\"instance_url\":\"https://acme.my.salesforce.com\",\"token_type\":\"Bearer\"}")),
            // learn.microsoft.com v2-oauth2-auth-code-flow: per-tenant endpoint, scope required on refresh
            Map.entry("microsoft", new Vendor("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
                    null, "scope", "{\"token_type\":\"Bearer\",\"scope\":\"User.Read\",\"expires_in\":3599,"
                                   + "\"access_token\":\"at\",\"refresh_token\":\"rt-new\"}")),
            // legacydocs.hubspot.com refresh-access-token: form body with client_id and client_secret
            Map.entry("hubspot", new Vendor("https://api.hubapi.com/oauth/v1/token", "post", null,
                    "{\"access_token\":\"at\",\"refresh_token\":\"rt-old-1\",\"expires_in\":1800,\"token_type\":\"bearer\"}")),
            // Intuit: x_refresh_token_expires_in
            Map.entry("quickbooks", new Vendor("https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer", null, null,
                    "{\"token_type\":\"bearer\",\"expires_in\":3600,\"refresh_token\":\"rt-new\","
                    + "\"x_refresh_token_expires_in\":8726400,\"access_token\":\"at\"}")),
            // shopify.dev offline access tokens: per shop, expiring tokens
            Map.entry("shopify", new Vendor("https://acme-store.myshopify.com/admin/oauth/access_token", null, null,
                    "{\"access_token\":\"shpat_x\",\"expires_in\":3600,\"refresh_token\":\"shprt_y\",\"scope\":\"read_orders\"}")),
            // zoho.com multi-dc: the token call goes to the user's data centre; api_domain in the answer
            Map.entry("zoho", new Vendor("https://accounts.zoho.eu/oauth/v2/token", null, null,
                    "{\"access_token\":\"1000.a\",\"api_domain\":\"https://www.zohoapis.eu\",\"token_type\":\"Bearer\","
                    + "\"expires_in\":3600}")),
            // box.dev refresh: client_id and client_secret in the form body, a new refresh token each time
            Map.entry("box", new Vendor("https://api.box.com/oauth2/token", "post", null,
                    "{\"access_token\":\"at\",\"expires_in\":3600,\"token_type\":\"bearer\",\"refresh_token\":\"rt-new\"}")),
            // developer.github.com 2020-04-30 expiring user-to-server tokens
            Map.entry("github-app", new Vendor("https://github.com/login/oauth/access_token", "post", null,
                    "{\"access_token\":\"ghu_x\",\"expires_in\":\"28800\",\"refresh_token\":\"ghr_y\","
                    + "\"refresh_token_expires_in\":\"15811200\",\"scope\":\"\",\"token_type\":\"bearer\"}")),
            // Slack oauth.v2.access with rotation: the user token under authed_user
            Map.entry("slack-user", new Vendor("https://slack.com/api/oauth.v2.access", null, null,
                    "{\"ok\":true,\"access_token\":\"xoxe.xoxb-bot\",\"expires_in\":43200,\"refresh_token\":\"xoxe-1-bot\","
                    + "\"team\":{\"id\":\"T1\"},\"authed_user\":{\"id\":\"U1\",\"access_token\":\"xoxe.xoxp-user\","
                    + "\"expires_in\":3600,\"refresh_token\":\"xoxe-1-user\"}}")),
            // Atlassian: JSON body to auth.atlassian.com/oauth/token, rotating
            Map.entry("atlassian", new Vendor("https://auth.atlassian.com/oauth/token", null, null,
                    "{\"access_token\":\"at\",\"expires_in\":3600,\"refresh_token\":\"rt-new\",\"scope\":\"offline_access\"}")));

    /** The attributes a templated URL needs, one sample each. */
    static final Map<String, String> SAMPLE_ATTRIBUTES = Map.of("tenant", "contoso.onmicrosoft.com", "shop", "acme-store",
            "dc", "eu", "host", "acme.my.salesforce.com", "subdomain", "acme", "accountId", "1234567",
            "oktaDomain", "acme.okta.com", "auth0Domain", "acme.eu.auth0.com", "realm", "master");

    private VendorTokenEndpoints() {
    }

    /** The endpoint of one vendor; {@code providerUrl} is where a request without an account URL goes. */
    static TokenClient of(String vendor, URI providerUrl) {
        Vendor facts = VENDORS.get(vendor);
        return request -> {
            URI url = request.url() == null ? providerUrl : request.url();
            Map<String, String> params = parameters(request);
            String problem = rfc6749(request, params);
            if (problem == null && facts != null) {
                problem = vendorRules(facts, url, request, params);
            }
            if (problem != null) {
                return answer(400, "{\"error\":\"invalid_request\",\"error_description\":\"" + problem + "\"}");
            }
            return answer(200, facts != null ? facts.answer()
                    : "{\"access_token\":\"at\",\"token_type\":\"bearer\",\"expires_in\":3600,\"refresh_token\":\"rt-new\"}");
        };
    }

    private static String rfc6749(TokenRequest request, Map<String, String> params) {
        if (!params.containsValue(REFRESH_TOKEN)) {
            return "no refresh token";
        }
        boolean basic = ("Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8))).equals(request.headers().get("Authorization"));
        boolean post = CLIENT_SECRET.equals(params.get("client_secret")) && CLIENT_ID.equals(params.get("client_id"));
        if (basic == post) {
            return "the client must authenticate exactly once (RFC 6749 section 2.3.1)";
        }
        return null;
    }

    private static String vendorRules(Vendor facts, URI url, TokenRequest request, Map<String, String> params) {
        if (!url.toString().equals(facts.url())) {
            return "wrong token URL " + url;
        }
        if ("post".equals(facts.clientAuthentication()) && !params.containsKey("client_secret")) {
            return "the documentation sends client_secret in the body";
        }
        if (facts.requiredParameter() != null && !params.containsKey(facts.requiredParameter())) {
            return "missing " + facts.requiredParameter();
        }
        return null;
    }

    private static Map<String, String> parameters(TokenRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        byte[] body = request.body();
        String text = body == null ? request.query() : new String(body, StandardCharsets.UTF_8);
        if (text == null) {
            return params;
        }
        if (text.startsWith("{")) {
            try {
                JSON.readTree(text).fields().forEachRemaining(f -> params.put(f.getKey(), f.getValue().asText()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return params;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                       URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private static TokenResponse answer(int status, String json) {
        return new TokenResponse(status, "application/json", null, null, json.getBytes(StandardCharsets.UTF_8));
    }
}
