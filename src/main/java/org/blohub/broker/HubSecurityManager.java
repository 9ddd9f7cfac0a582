package org.blohub.broker;

import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.RolePrincipal;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.security.auth.Subject;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Artemis security backed by {@link Credentials} (who you are) and {@link BrokerTopology} (what your role may do).
 * Authentication gives a {@link Subject} with the user's {@link UserPrincipal} (what Artemis puts into
 * {@code _AMQ_VALIDATED_USER}) and one {@link RolePrincipal} per broker role; authorization grants a check when one of
 * the subject's roles is among the roles the broker found for the address and that role allows the check.
 * A password is never logged.
 */
final class HubSecurityManager implements ActiveMQSecurityManager5 {

    private static final Logger LOG = LoggerFactory.getLogger(HubSecurityManager.class);

    private final Credentials credentials;

    HubSecurityManager(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
        if (user == null || !credentials.check(user, password)) {
            // Artemis itself logs the refusal at WARN (AMQ222216, user and remote address)
            LOG.debug("Broker login refused for user '{}' from {}", user == null ? "(none)" : printable(user),
                    connection == null ? "?" : connection.getRemoteAddress());
            return null;
        }
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(user));
        BrokerTopology.rolesOf(user).forEach(r -> subject.getPrincipals().add(new RolePrincipal(r)));
        subject.setReadOnly();
        return subject;
    }

    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        if (subject == null || roles == null) {
            return false;
        }
        Set<String> held = subject.getPrincipals(RolePrincipal.class).stream().map(RolePrincipal::getName)
                .collect(Collectors.toSet());
        for (Role role : roles) {
            if (held.contains(role.getName()) && checkType.hasRole(role)) {
                return true;
            }
        }
        return false;
    }

    // The two methods of the original interface; Artemis calls the ones above for an ActiveMQSecurityManager5.

    @Override
    public boolean validateUser(String user, String password) {
        return user != null && credentials.check(user, password);
    }

    @Override
    public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
        if (!validateUser(user, password)) {
            return false;
        }
        Set<String> held = BrokerTopology.rolesOf(user);
        return roles != null && roles.stream().anyMatch(r -> held.contains(r.getName()) && checkType.hasRole(r));
    }

    /** A user name as sent, made safe for one log line. */
    private static String printable(String s) {
        return org.blohub.alert.CleanText.escape(s.length() > 100 ? s.substring(0, 100) + "..." : s);
    }
}
