package dev.archon.sync.delta;

/**
 * One side's content checksums in a merge ("rows:sum1:sum2", as {@link Digest}): with the checksum
 * of the rows written at the carried keys afterwards, they give the side's checksum after the apply
 * without hashing the whole table again.
 *
 * @param before   the side's whole table before the run
 * @param replaced the side's rows the run updates or deletes
 */
public record SideDigests(String before, String replaced) {
    /** The side's checksum after the apply, given the checksum of the rows now at the inserted and updated keys. */
    public String after(String written) {
        return Digest.combine(before, replaced, written);
    }
}
