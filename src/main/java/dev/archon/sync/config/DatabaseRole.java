package dev.archon.sync.config;

import java.util.Locale;

/** Which of the user's two databases: the self-hosted one or the cloud one. */
public enum DatabaseRole {
    LOCAL, REMOTE;

    /** "local" or "remote", as written in history rows and options. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The environment variable (and .env key) holding this database's URI. */
    public String envVariable() {
        return name() + "_DATABASE_URI";
    }

    /** The command-line option holding this database's URI. */
    public String option() {
        return "--" + label();
    }

    public DatabaseRole other() {
        return this == LOCAL ? REMOTE : LOCAL;
    }
}
