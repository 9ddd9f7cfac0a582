package org.blohub.normalize;

import org.blohub.alert.Alert.OriginalFormat;

import java.io.InputStream;
import java.util.function.Consumer;

/** Reads one inbound format (DESIGN §5) into drafts, one per alert, handed over in input order. */
public interface AlertReader {

    OriginalFormat format();

    /**
     * Reads every alert of the input. A draft with problems is still handed over (so the caller
     * can report it with its line); an input that cannot be read at all throws.
     */
    void read(InputStream in, ReadContext context, Consumer<Draft> sink) throws UnreadableInputException;
}
