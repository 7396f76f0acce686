package io.closedloop.ops;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Who may do what on the ops port. Health and metrics are open (probes, scrapers); the status page and its counts are
 * read-only for anyone who reaches the port; replay, parked record details and attribution need the ops token, as a
 * bearer token or as the HttpOnly cookie the login form sets. Writes from another site are refused by their
 * {@code Origin}, whatever they carry. With no token configured nothing unlocks them.
 */
public final class OpsAccess {
    public static final String COOKIE = "closedloop_session";
    static final String TOKEN_KEY = "CLOSEDLOOP_OPS_TOKEN";

    private final String token;
    private final String session;

    /** @param token the ops token, empty when none is configured */
    public OpsAccess(String token) {
        this.token = token == null ? "" : token;
        this.session = this.token.isEmpty() ? "" : sessionOf(this.token);
    }

    public boolean tokenConfigured() {
        return !token.isEmpty();
    }

    /** The request carries the token, as a bearer token or as the login cookie. */
    public boolean authorized(Exchange exchange) {
        if (token.isEmpty()) {
            return false;
        }
        Message in = exchange.getMessage();
        String header = in.getHeader("Authorization", String.class);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && same(header.substring(7).trim(), token)) {
            return true;
        }
        String cookie = cookie(in.getHeader("Cookie", String.class), COOKIE);
        return cookie != null && same(cookie, session);
    }

    /** Route step before a read that shows records: answers 401 and ends the route unless the request is authorized. */
    public void requireToken(Exchange exchange) {
        if (!authorized(exchange)) {
            deny(exchange, 401, tokenConfigured()
                    ? "this needs the ops token: send Authorization: Bearer <" + TOKEN_KEY + ">, or log in at /observe/login"
                    : "no ops token is configured (" + TOKEN_KEY + "): replay, parked record details and attribution are off");
        }
    }

    /** Route step before a write: a request from another site gets 403, one without the token 401. */
    public void requireWrite(Exchange exchange) {
        if (crossSite(exchange)) {
            deny(exchange, 403, "cross-site request refused: its Origin is not this server");
            return;
        }
        requireToken(exchange);
    }

    /**
     * A browser request sent from a page of another origin. Browsers send {@code Origin} with every POST and
     * {@code Sec-Fetch-Site} with every request; a client that sends neither (curl, a script) is not a browser page.
     */
    public static boolean crossSite(Exchange exchange) {
        Message in = exchange.getMessage();
        String fetchSite = in.getHeader("Sec-Fetch-Site", String.class);
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return true;
        }
        String origin = in.getHeader("Origin", String.class);
        if (origin == null) {
            return false;
        }
        String host = host(in);
        try {
            URI o = URI.create(origin.trim());
            String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return host == null || o.getHost() == null || !authority.equalsIgnoreCase(host.trim());
        } catch (IllegalArgumentException e) {
            return true; // "null" (a sandboxed frame, a file) or garbage
        }
    }

    /** Where the request was sent (host and port): platform-http gives the URL the request was made for. */
    private static String host(Message in) {
        String url = in.getHeader(Exchange.HTTP_URL, String.class);
        try {
            URI u = url == null ? null : URI.create(url);
            return u == null || u.getHost() == null ? null : u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** POST /observe/login: the token from the form sets the session cookie and goes back to the page. */
    public void login(Exchange exchange) {
        if (crossSite(exchange)) {
            deny(exchange, 403, "cross-site request refused: its Origin is not this server");
            return;
        }
        Message in = exchange.getMessage();
        String given = formValue(in, "token");
        if (!tokenConfigured() || given == null || !same(given.trim(), token)) {
            in.setHeader(Exchange.HTTP_RESPONSE_CODE, 401);
            in.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
            in.setBody(loginPage(tokenConfigured() ? "That is not the ops token." : "No ops token is configured (" + TOKEN_KEY + ")."));
            return;
        }
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        in.setHeader("Location", "/");
        in.setHeader("Set-Cookie", COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Strict");
        in.setBody("");
    }

    /** POST /observe/logout: the cookie is cleared. */
    public void logout(Exchange exchange) {
        Message in = exchange.getMessage();
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        in.setHeader("Location", "/");
        in.setHeader("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        in.setBody("");
    }

    /** GET /observe/login. */
    public void loginForm(Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getMessage().setBody(loginPage(tokenConfigured() ? null : "No ops token is configured (" + TOKEN_KEY + ")."));
    }

    private static String loginPage(String error) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Closedloop: log in</title>"
                + "<link rel=\"stylesheet\" href=\"/observe/status.css\"></head><body><main class=\"login\"><h1>Closedloop</h1>"
                + (error == null ? "" : "<p class=\"error\" id=\"login-error\">" + error + "</p>")
                + "<form method=\"post\" action=\"/observe/login\"><label>Ops token <input type=\"password\" name=\"token\" id=\"token\" "
                + "autocomplete=\"current-password\" required></label> <button type=\"submit\" id=\"login\">Log in</button></form>"
                + "<p><a href=\"/\">Back to the status page</a></p></main></body></html>";
    }

    private static void deny(Exchange exchange, int status, String why) {
        Message in = exchange.getMessage();
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (status == 401) {
            in.setHeader("WWW-Authenticate", "Bearer realm=\"closedloop\"");
        }
        in.setBody("{\"error\":\"" + (status == 401 ? "unauthorized" : "forbidden") + "\",\"message\":\"" + why + "\"}");
        exchange.setRouteStop(true);
    }

    /** A form field: platform-http hands form fields over as headers; a raw body is parsed as a fallback. */
    private static String formValue(Message in, String name) {
        String header = in.getHeader(name, String.class);
        if (header != null) {
            return header;
        }
        String body = in.getBody(String.class);
        if (body == null) {
            return null;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static String cookie(String header, String name) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
                return part.substring(eq + 1).trim();
            }
        }
        return null;
    }

    /** The cookie holds a value derived from the token, never the token itself. */
    private static String sessionOf(String token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] value = mac.doFinal("closedloop-ops-session".getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** Constant-time comparison, so the answer time says nothing about how much of a guess was right. */
    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
