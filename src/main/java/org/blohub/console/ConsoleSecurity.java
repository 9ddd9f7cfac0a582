package org.blohub.console;

import org.blohub.api.ApiSecurity;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The console: form login with the credentials of the API (operator: OPERATOR and VIEWER; viewer: VIEWER; offices
 * and agencies have no console), a session, CSRF tokens on every form, and strict headers. Actions are POSTs and
 * the operator's alone; a viewer sees every page. Failed logins are throttled as for HTTP basic
 * (org.blohub.api.LoginThrottle): a locked user or address is refused, its password unchecked, and the login page
 * says "too many failed attempts, try again in N minutes".
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSecurity {

    @Bean
    @Order(2)
    SecurityFilterChain consoleFilterChain(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/console/console.css", "/login", "/error").permitAll()
                        .requestMatchers(HttpMethod.POST, "/console/**").hasRole(ApiSecurity.OPERATOR)
                        .requestMatchers(HttpMethod.GET, "/", "/console", "/console/**")
                        .hasAnyRole(ApiSecurity.OPERATOR, ApiSecurity.VIEWER)
                        .anyRequest().denyAll())
                // the hub's own login page (LoginPage): it says when the login throttle refused an attempt
                .formLogin(f -> f.loginPage("/login").defaultSuccessUrl("/console", true))
                .logout(l -> l.logoutSuccessUrl("/login?logout"))
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                .headers(h -> h
                        .contentSecurityPolicy(c -> c.policyDirectives(
                                "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
                                        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"))
                        .frameOptions(f -> f.deny())
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .build();
    }
}
