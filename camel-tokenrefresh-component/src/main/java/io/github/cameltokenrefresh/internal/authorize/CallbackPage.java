package io.github.cameltokenrefresh.internal.authorize;

/** The small HTML pages the callback answers: what happened, for which provider and account, never a token. */
final class CallbackPage {

    private CallbackPage() {
    }

    static String connected(String provider, String account) {
        return page("Account connected", "The account <b>" + escape(account) + "</b> of <b>" + escape(provider)
                                         + "</b> is connected. You can close this window.");
    }

    static String refused(String provider, String reason) {
        return page("Authorization refused", "This authorization link for <b>" + escape(provider)
                                             + "</b> cannot be used: " + escape(reason)
                                             + ". Nothing was stored. Ask for a new link.");
    }

    static String failed(String provider, String account, String what) {
        return page("Authorization failed", "The account <b>" + escape(account) + "</b> of <b>" + escape(provider)
                                            + "</b> was not connected: " + escape(what)
                                            + ". Nothing was stored. Ask for a new link.");
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head>"
               + "<body><h1>" + title + "</h1><p>" + body + "</p></body></html>\n";
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
