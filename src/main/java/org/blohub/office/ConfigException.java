package org.blohub.office;

/** A mistake in a config file: names the file, the entry and the problem. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    public static ConfigException at(String file, String entry, String problem) {
        return new ConfigException(file + ": " + entry + ": " + problem);
    }
}
