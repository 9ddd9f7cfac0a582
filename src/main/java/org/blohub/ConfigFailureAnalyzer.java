package org.blohub;

import org.blohub.office.ConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A start stopped by a mistake in the hub's configuration ends with the mistake itself (file, entry, problem, and the
 * setting to change) in Spring Boot's short "APPLICATION FAILED TO START" summary, not a stack trace of bean creation.
 * Registered in META-INF/spring.factories.
 */
public final class ConfigFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

    static final String ACTION = "Correct the configuration named above, then start the hub again.";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
        return new FailureAnalysis("The hub's configuration is not valid: " + cause.getMessage(), ACTION, cause);
    }
}
