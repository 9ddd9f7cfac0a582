package org.blohub.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.blohub.alert.CleanText;
import org.blohub.operations.OperatorAudit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Failed-login throttling for the form login and HTTP basic alike ({@link LoginThrottle}): Spring Security's
 * authentication events count failures and successes; the credentials check (ApiSecurity) asks the throttle first
 * and refuses a locked user or address without looking at the password; basic auth answers such a refusal 429 with
 * Retry-After, the login page says "too many failed attempts". Each lock that begins is logged, audited
 * ({@link OperatorAudit#loginThrottled}) and every refused attempt counted in {@code blo_login_throttled_total}.
 */
@Configuration(proxyBeanMethods = false)
public class LoginThrottleConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottleConfiguration.class);

    @Bean
    LoginThrottle loginThrottle(Environment env) {
        return new LoginThrottle(LoginThrottle.Settings.from(env), Clock.systemUTC());
    }

    @Bean
    LoginThrottleEvents loginThrottleEvents(LoginThrottle throttle, OperatorAudit audit) {
        return new LoginThrottleEvents(throttle, audit);
    }

    /** Counts each login refused by the throttle. */
    @Bean
    Counter loginThrottledCounter(MeterRegistry registry) {
        return Counter.builder("blo.login.throttled")
                .description("Logins refused, their password unchecked, after too many failures of the user or address")
                .register(registry);
    }

    /** HTTP basic's answer: 429 with Retry-After for a throttled login, else the usual 401 challenge. */
    static AuthenticationEntryPoint basicEntryPoint() {
        BasicAuthenticationEntryPoint challenge = new BasicAuthenticationEntryPoint();
        challenge.setRealmName("Realm");
        return (request, response, e) -> {
            if (e instanceof LoginThrottledException t) {
                response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(t.retryAfterSeconds()));
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                response.getWriter().write("{\"errors\":[\"" + t.getMessage() + "\"]}");
            } else {
                challenge.commence(request, response, e);
            }
        };
    }

    /** The client address of a login attempt, as the web filters recorded it. */
    static String address(Authentication auth) {
        return auth != null && auth.getDetails() instanceof WebAuthenticationDetails d ? d.getRemoteAddress() : null;
    }

    /** A user name from outside cut as the throttle's key is (still raw: escape it where it is shown). */
    static String cut(String user) {
        String s = user == null ? "" : user;
        return s.length() > LoginThrottle.MAX_KEY_CHARS ? s.substring(0, LoginThrottle.MAX_KEY_CHARS) + "…" : s;
    }

    /** A user name from outside, fit for a log line: cut and escaped. */
    static String shown(String user) {
        return CleanText.escape(cut(user));
    }

    /** Feeds Spring Security's authentication events to the throttle; audits and logs each lock that begins. */
    public static final class LoginThrottleEvents {

        private final LoginThrottle throttle;
        private final OperatorAudit audit;

        LoginThrottleEvents(LoginThrottle throttle, OperatorAudit audit) {
            this.throttle = throttle;
            this.audit = audit;
        }

        @EventListener
        public void failed(AuthenticationFailureBadCredentialsEvent event) {
            Authentication auth = event.getAuthentication();
            String user = auth.getName();
            String address = address(auth);
            for (LoginThrottle.Lock lock : throttle.failed(user, address)) {
                String within = lock.failures() + " failed logins within " + throttle.settings().window();
                String detail = lock.limit() == LoginThrottle.Limit.USER
                        ? "user " + shown(user) + ": " + within + ", the last from " + address
                                + "; its logins refused until " + lock.until()
                        : "address " + address + ": " + within + ", the last as user " + shown(user)
                                + "; logins of every user from it refused until " + lock.until();
                LOG.warn("Login throttled: {}", detail);
                audit.loginThrottled(cut(user), detail);
            }
        }

        @EventListener
        public void succeeded(AuthenticationSuccessEvent event) {
            throttle.succeeded(event.getAuthentication().getName());
        }
    }
}
