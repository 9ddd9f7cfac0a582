package org.blohub.api;

import io.micrometer.core.instrument.Counter;
import org.blohub.broker.Credentials;
import org.blohub.office.OfficeRegistry;
import org.blohub.routing.Router;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Who may use the HTTP side. Everyone logs in with the id and password of the credentials (one id
 * serves every channel): offices may POST alerts; operators and viewers may read; agencies and the
 * hub's internal user have no HTTP rights. Only the health probe is open. Scripts use HTTP basic here; people use
 * the console's form login (org.blohub.console.ConsoleSecurity), with the same credentials and roles.
 */
@Configuration(proxyBeanMethods = false)
public class ApiSecurity {

    public static final String OFFICE = "OFFICE";
    public static final String OPERATOR = "OPERATOR";
    public static final String VIEWER = "VIEWER";

    /** First: the API and actuator; every other path is the console's (org.blohub.console.ConsoleSecurity). */
    @Bean
    @Order(1)
    SecurityFilterChain apiFilterChain(HttpSecurity http) throws Exception {
        return http
                .securityMatcher("/api/**", "/actuator/**")
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/alerts").hasRole(OFFICE)
                        // operations (issue 5): acting on dead letters and quarantine is the operator's alone
                        .requestMatchers(HttpMethod.POST, "/api/dead-letters/*/replay", "/api/quarantine/*/resubmit")
                        .hasRole(OPERATOR)
                        .requestMatchers(HttpMethod.DELETE, "/api/dead-letters/*", "/api/quarantine/*").hasRole(OPERATOR)
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAnyRole(OPERATOR, VIEWER)
                        .requestMatchers("/actuator/**").hasAnyRole(OPERATOR, VIEWER)
                        .anyRequest().denyAll())
                // a throttled login: 429 with Retry-After (LoginThrottleConfiguration)
                .httpBasic(b -> b.authenticationEntryPoint(LoginThrottleConfiguration.basicEntryPoint()))
                // a stateless API with HTTP basic: no session, so no session to ride with a forged request
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    /**
     * Checks a login against the credentials (in constant time) and grants the role of who it is; a user or client
     * address the {@link LoginThrottle} has locked is refused first, its password unchecked.
     */
    @Bean
    AuthenticationProvider credentialsAuthentication(Credentials credentials, OfficeRegistry offices,
                                                     LoginThrottle throttle, Counter loginThrottledCounter) {
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication auth) {
                String id = auth.getName();
                Optional<Duration> locked = throttle.refusedFor(id, LoginThrottleConfiguration.address(auth));
                if (locked.isPresent()) {
                    loginThrottledCounter.increment();
                    throw new LoginThrottledException(locked.get());
                }
                Object password = auth.getCredentials();
                if (password == null || !credentials.check(id, password.toString())) {
                    throw new BadCredentialsException("bad credentials");
                }
                List<SimpleGrantedAuthority> roles = switch (id) {
                    case Credentials.OPERATOR -> List.of(role(OPERATOR), role(VIEWER));
                    case Credentials.VIEWER -> List.of(role(VIEWER));
                    default -> offices.find(id).isPresent() ? List.of(role(OFFICE)) : List.of();
                };
                return UsernamePasswordAuthenticationToken.authenticated(id, null, roles);
            }

            @Override
            public boolean supports(Class<?> type) {
                return UsernamePasswordAuthenticationToken.class.isAssignableFrom(type);
            }
        };
    }

    private static SimpleGrantedAuthority role(String name) {
        return new SimpleGrantedAuthority("ROLE_" + name);
    }
}
