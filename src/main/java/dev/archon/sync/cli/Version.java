package dev.archon.sync.cli;

import picocli.CommandLine;

/** The version from the jar's manifest. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"archon-sync " + (v == null ? "(development build)" : v)};
    }
}
