package org.blohub.mail;

import jakarta.mail.internet.MimeMessage;
import org.blohub.alert.CleanText;
import org.blohub.office.Office;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The proof with a real mail server (RFC 8601): the hub's mail server checks SPF, DKIM and DMARC as mail arrives and
 * writes what it found into an {@code Authentication-Results} header headed by its own authserv-id
 * ({@code blo.mail.authserv-id}). The From is proven when the topmost such header shows
 *
 * <ul>
 *   <li>{@code dmarc=pass} for the From's domain ({@code header.from}, when given, equal to it), or, without a DMARC
 *       verdict other than pass,</li>
 *   <li>{@code dkim=pass} with {@code header.d} (or the domain of {@code header.i}) aligned with the From's domain, or</li>
 *   <li>{@code spf=pass} with the domain of {@code smtp.mailfrom} aligned with the From's domain.</li>
 * </ul>
 *
 * Aligned: the same domain, or a parent domain of it of at least two labels ({@code example.gov} for
 * {@code office.example.gov}; never a bare {@code gov}). Headers of other authserv-ids are ignored: anyone can write
 * one. A server adds its own header on top and removes forged copies of it; the topmost header of the configured id is
 * the server's, and any below it are ignored too.
 */
public final class AuthenticationResults implements SenderProof {

    public static final String HEADER = "Authentication-Results";

    private final String authservId;

    /** @param authservId the authserv-id of the hub's own mail server */
    public AuthenticationResults(String authservId) {
        if (authservId == null || authservId.isBlank()) {
            throw new IllegalArgumentException("an authserv-id is required");
        }
        this.authservId = authservId.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public String refusal(MimeMessage mail, String from, Office office) {
        return refusal(Arrays.asList(SenderProof.values(mail, HEADER)), from);
    }

    /**
     * Why {@code from} is not proven by these header values (top first), or null when it is.
     */
    public String refusal(List<String> headers, String from) {
        String domain = domainOf(from);
        Results ours = null;
        for (String h : headers) {
            Results r = parse(h);
            if (r != null && r.authservId().equals(authservId)) {
                ours = r;
                break;
            }
        }
        String sender = "the sender (From) " + CleanText.escape(from);
        if (ours == null) {
            return sender + " is not proven: the mail has no Authentication-Results of the hub's mail server ("
                    + authservId + ")";
        }
        Method dmarc = ours.first("dmarc");
        if (dmarc != null && !dmarc.result().equals("pass")) {
            return sender + " is not proven: the hub's mail server found dmarc=" + CleanText.escape(dmarc.result());
        }
        if (dmarc != null) {
            String headerFrom = dmarc.props().get("header.from");
            if (headerFrom == null || domainOf(headerFrom).equals(domain)) {
                return null;
            }
        }
        List<String> found = new ArrayList<>();
        for (Method m : ours.methods()) {
            String d = switch (m.name()) {
                case "dkim" -> m.props().containsKey("header.d") ? m.props().get("header.d")
                        : m.props().containsKey("header.i") ? m.props().get("header.i") : null;
                case "spf" -> m.props().get("smtp.mailfrom");
                case "dmarc" -> m.props().get("header.from");
                default -> null;
            };
            if (!Set.of("dkim", "spf", "dmarc").contains(m.name())) {
                continue;
            }
            if (!m.name().equals("dmarc") && m.result().equals("pass") && d != null && aligned(domainOf(d), domain)) {
                return null;
            }
            found.add(m.name() + "=" + m.result() + (d == null ? "" : " for " + domainOf(d)));
        }
        return sender + " is not proven: the hub's mail server found "
                + (found.isEmpty() ? "no SPF, DKIM or DMARC result" : CleanText.escape(String.join(", ", found)))
                + ", none passing for " + CleanText.escape(domain);
    }

    /** Whether {@code d} is {@code fromDomain} or a parent domain of it with at least two labels. */
    static boolean aligned(String d, String fromDomain) {
        return d.equals(fromDomain) || (d.contains(".") && fromDomain.endsWith("." + d));
    }

    static String domainOf(String addressOrDomain) {
        String s = addressOrDomain.trim().toLowerCase(Locale.ROOT);
        int at = s.lastIndexOf('@');
        s = at >= 0 ? s.substring(at + 1) : s;
        if (s.endsWith(">")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    // ---- parsing ---------------------------------------------------------------------------------------------

    /** One header: whose it is and the results in it. */
    record Results(String authservId, List<Method> methods) {
        Method first(String name) {
            return methods.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
        }
    }

    /** One result: {@code method=result} and its properties ({@code header.d}, {@code smtp.mailfrom}, ...). */
    record Method(String name, String result, Map<String, String> props) {
    }

    /** The header's value read, or null when it has no authserv-id. Names, results and properties in lower case. */
    static Results parse(String value) {
        if (value == null) {
            return null;
        }
        List<String> segments = segments(withoutComments(value));
        if (segments.isEmpty()) {
            return null;
        }
        List<String> head = tokens(segments.get(0));
        if (head.isEmpty()) {
            return null;
        }
        List<Method> methods = new ArrayList<>();
        for (String seg : segments.subList(1, segments.size())) {
            List<String> t = tokens(seg.replaceAll("\\s*=\\s*", "="));
            if (t.isEmpty() || !t.get(0).contains("=")) {
                continue; // "none", or not a result
            }
            String[] mr = t.get(0).split("=", 2);
            String name = mr[0].toLowerCase(Locale.ROOT);
            int slash = name.indexOf('/');
            name = slash >= 0 ? name.substring(0, slash) : name;
            Map<String, String> props = new LinkedHashMap<>();
            for (String p : t.subList(1, t.size())) {
                int eq = p.indexOf('=');
                if (eq > 0 && p.substring(0, eq).contains(".")) {
                    props.putIfAbsent(p.substring(0, eq).toLowerCase(Locale.ROOT), p.substring(eq + 1));
                }
            }
            methods.add(new Method(name, mr[1].toLowerCase(Locale.ROOT), props));
        }
        return new Results(head.get(0).toLowerCase(Locale.ROOT), methods);
    }

    /** The value with every comment (parentheses, nested, outside quoted strings) made a space. */
    static String withoutComments(String v) {
        StringBuilder out = new StringBuilder(v.length());
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length() && (quoted || depth > 0)) {
                if (depth == 0) {
                    out.append(c).append(v.charAt(i + 1));
                }
                i++;
            } else if (depth > 0) {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                if (depth == 0) {
                    out.append(' ');
                }
            } else if (c == '"') {
                quoted = !quoted;
                out.append(c);
            } else if (c == '(' && !quoted) {
                depth = 1;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Split at each ';' outside quoted strings. */
    private static List<String> segments(String v) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** Words separated by white space, a quoted string kept as one with its quotes removed. */
    private static List<String> tokens(String v) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted && i + 1 < v.length()) {
                cur.append(v.charAt(++i));
            } else if (Character.isWhitespace(c) && !quoted) {
                if (!cur.isEmpty()) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }
}
