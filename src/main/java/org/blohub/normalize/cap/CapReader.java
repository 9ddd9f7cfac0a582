package org.blohub.normalize.cap;

import org.blohub.alert.Alert.OriginalFormat;
import org.blohub.normalize.AlertReader;
import org.blohub.normalize.Draft;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.TextDecoding;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.normalize.UnreadableInputException.Reason;
import org.blohub.normalize.xml.SafeXml;
import org.blohub.normalize.xml.XmlElement;

import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Reads a CAP 1.2 or 1.1 alert (DESIGN §5.3), whatever prefix it uses, into one draft. The hub's own
 * CAP rendering is recognised by its {@code urn:blo:*} parameters and read back exactly.
 */
public final class CapReader implements AlertReader {

    @Override
    public OriginalFormat format() {
        return OriginalFormat.CAP;
    }

    @Override
    public void read(InputStream in, ReadContext context, Consumer<Draft> sink) throws UnreadableInputException {
        TextDecoding.Decoded text = TextDecoding.readDocument(in, context, true);
        // an embedded resource (derefUri) is digested, not kept: only the document's size bounds it
        XmlElement root = SafeXml.parse(text.text(), context.limits(), java.util.Set.of("derefUri"));
        if (!"alert".equals(root.name()) || !CapVocabulary.isCapNamespace(root.namespace())) {
            throw new UnreadableInputException(Reason.UNKNOWN_FORMAT, "not a CAP alert: root element <" + root.name()
                    + "> in namespace '" + root.namespace() + "' (expected <alert> in " + CapVocabulary.CAP_12
                    + " or " + CapVocabulary.CAP_11 + ")", root.at());
        }
        sink.accept(new CapMapping(root, context, text.declaredLabel()).draft());
    }
}
