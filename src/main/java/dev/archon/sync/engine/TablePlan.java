package dev.archon.sync.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.archon.sync.schema.TableInfo;

/**
 * What a full sync does to one table: delete every target row, load every source row.
 *
 * @param source     the table as the source's catalog describes it
 * @param target     the table as the target's catalog describes it
 * @param sourceRows rows on the source (exact count, in the plan's snapshot)
 * @param targetRows rows on the target that will be deleted (exact count)
 * @param sourceBytes the source table's size on disk, indexes included
 * @param binary     whether the copy uses binary COPY (same major version, every type allows it)
 * @param sensitive  whether the table holds secrets (API keys) the confirmation must name
 */
@JsonIgnoreProperties({"source", "target"})
public record TablePlan(TableInfo source, TableInfo target, long sourceRows, long targetRows, long sourceBytes,
                        boolean binary, boolean sensitive) {
    /** "public.archon_tasks". */
    @JsonProperty("table_name")
    public String name() {
        return source.name().toString();
    }

    /**
     * Whether rows hashed in the source's columns hash as the target table's own checksum does
     * (same columns and types), in binary or text form: then hashes taken for the comparison or the
     * base stand for the target's content checksum.
     */
    boolean targetHashesLikeSource(boolean binaryForm) {
        return dev.archon.sync.verify.ContentChecksum.rowHash(source, binaryForm, "t")
                .equals(dev.archon.sync.verify.ContentChecksum.rowHash(target, binaryForm, "t"));
    }
}
