package org.blohub.webhook;

import org.apache.camel.CamelContext;
import org.blohub.broker.Credentials;
import org.blohub.office.ConfigException;
import org.blohub.routing.Agency;
import org.blohub.routing.Router;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;

/**
 * Delivery by HTTPS web hook (agencies.yaml channel https): a signed POST per alert. Settings:
 * <pre>
 * blo.webhook.timeout              30s      connect and answer timeout
 * blo.webhook.trust-store          (unset)  a PKCS12 trust store: then only its CAs are trusted (else the JVM's)
 * blo.webhook.trust-store-password (unset)
 * blo.webhook.secrets.&lt;ref&gt;        (unset)  a secret by its secretRef when it is not in the credentials file
 * </pre>
 * Every https agency's secret must be found at start, or nothing starts.
 */
@Configuration(proxyBeanMethods = false)
public class WebhookConfiguration {

    @Bean
    WebhookSecrets webhookSecrets(Credentials credentials, Environment env, Router router) {
        WebhookSecrets secrets = new WebhookSecrets(credentials, env);
        for (Agency a : router.agencies().all()) {
            if (a.delivery().channel() == Agency.Channel.HTTPS && secrets.secret(a.delivery().secretRef()).isEmpty()) {
                throw new ConfigException("agency " + a.id() + ": no web hook secret '" + a.delivery().secretRef()
                        + "': add " + WebhookSecrets.where(a.delivery().secretRef(), credentials));
            }
        }
        return secrets;
    }

    @Bean
    WebhookSender webhookSender(Router router, WebhookSecrets secrets, Environment env) throws Exception {
        Duration timeout = duration(env.getProperty("blo.webhook.timeout"), Duration.ofSeconds(30));
        HttpClient client = HttpClient.newBuilder()
                .sslContext(sslContext(env.getProperty("blo.webhook.trust-store"),
                        env.getProperty("blo.webhook.trust-store-password", "")))
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new WebhookSender(router.agencies(), secrets, client, timeout, Clock.systemUTC());
    }

    @Bean
    WebhookRoutes webhookRoutes(CamelContext camel, Router router) {
        return new WebhookRoutes(camel, router.agencies());
    }

    /** The JVM's trusted CAs, or only those of the given PKCS12 trust store. Host names are always verified. */
    static SSLContext sslContext(String trustStore, String password) throws Exception {
        if (trustStore == null || trustStore.isBlank()) {
            return SSLContext.getDefault();
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(trustStore))) {
            ks.load(in, password.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static Duration duration(String v, Duration fallback) {
        return v == null || v.isBlank() ? fallback : org.springframework.boot.convert.DurationStyle.detectAndParse(v.trim());
    }
}
