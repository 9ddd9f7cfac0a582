package org.blohub.normalize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.blohub.alert.Alert.OriginalFormat;

import java.util.ArrayList;
import java.util.List;

/**
 * One alert as a reader found it: canonical field names with the values as given (dates as
 * written, text not yet normalized), where each stood, and what the reader already found wrong.
 * The {@link Normalizer} turns it into an {@link org.blohub.alert.Alert} or a list of problems.
 *
 * @param fields     canonical field tree; may lack the hub-set fields
 * @param where      positions of the fields in the input
 * @param format     the format it was read from
 * @param originalId this alert's id within its input ({@code file.csv#12} for a row), or null
 * @param problems   problems the reader found (unknown column, bad value); more may follow
 */
public record Draft(ObjectNode fields, SourceMap where, OriginalFormat format, String originalId,
                    List<Problem> problems) {

    public Draft(ObjectNode fields, SourceMap where, OriginalFormat format, String originalId) {
        this(fields, where, format, originalId, new ArrayList<>());
    }

    public void problem(String field, String message, Position at) {
        problems.add(new Problem(field, message, at));
    }
}
