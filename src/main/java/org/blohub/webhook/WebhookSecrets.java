package org.blohub.webhook;

import org.blohub.broker.Credentials;
import org.springframework.core.env.Environment;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Finds an agency's web hook secret by its {@code secretRef} (agencies.yaml), never in the repository: first the
 * credentials file ({@code <secretRef>=<secret>}, the standalone file or the production one), else the property
 * {@code blo.webhook.secrets.<secretRef>}, which the environment variable
 * {@code BLO_WEBHOOK_SECRETS_<SECRETREF>} ('-' and '.' as '_', upper case) sets. The secret is never logged.
 */
public final class WebhookSecrets {

    private final Credentials credentials;
    private final Environment env;

    public WebhookSecrets(Credentials credentials, Environment env) {
        this.credentials = credentials;
        this.env = env;
    }

    public Optional<byte[]> secret(String secretRef) {
        Optional<String> s = credentials.password(secretRef);
        if (s.isEmpty() || s.get().isEmpty()) {
            s = Optional.ofNullable(env.getProperty("blo.webhook.secrets." + secretRef)).filter(v -> !v.isEmpty());
        }
        return s.map(v -> v.getBytes(StandardCharsets.UTF_8));
    }

    /** Where the secret is looked for, for an error message (no secret in it). */
    public static String where(String secretRef, Credentials credentials) {
        return "'" + secretRef + "=...' in " + credentials.file() + ", or the environment variable BLO_WEBHOOK_SECRETS_"
                + secretRef.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
