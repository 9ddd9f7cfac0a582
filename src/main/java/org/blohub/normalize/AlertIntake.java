package org.blohub.normalize;

import org.blohub.alert.Alert.OriginalFormat;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one way in for every channel and for {@code convert}: detect the format by content, read it,
 * normalize each alert, and hand each outcome over in input order (streamed: a CSV batch is never
 * held whole).
 */
public final class AlertIntake {

    private final Map<OriginalFormat, AlertReader> readers = new EnumMap<>(OriginalFormat.class);
    private final Normalizer normalizer;

    public AlertIntake(Iterable<AlertReader> readers, Normalizer normalizer) {
        readers.forEach(r -> this.readers.put(r.format(), r));
        this.normalizer = normalizer;
    }

    /** @return the format the input was read as */
    public OriginalFormat read(InputStream in, ReadContext ctx, Origin origin, Consumer<Outcome> sink)
            throws UnreadableInputException {
        // BufferedInputStream's own 8 KB: it grows to the detector's mark limit only for an input that long
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in);
        OriginalFormat format = FormatDetector.detect(buffered, ctx);
        AlertReader reader = readers.get(format);
        if (reader == null) {
            throw new UnreadableInputException(UnreadableInputException.Reason.UNKNOWN_FORMAT,
                    "no reader for " + format, Position.UNKNOWN);
        }
        reader.read(buffered, ctx, draft -> sink.accept(normalizer.normalize(draft, ctx, origin)));
        return format;
    }
}
