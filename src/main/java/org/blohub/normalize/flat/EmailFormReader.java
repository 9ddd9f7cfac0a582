package org.blohub.normalize.flat;

import org.blohub.alert.Alert.OriginalFormat;
import org.blohub.normalize.AlertReader;
import org.blohub.normalize.Draft;
import org.blohub.normalize.Position;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.TextDecoding;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.normalize.flat.FlatFields.Key;

import java.io.InputStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The body of a mail as a {@code Key: Value} form (DESIGN §5.5), with the flat keys of
 * {@link FlatFields}. A line that starts with a blank continues the value above (a description
 * over several lines); blank lines are skipped; a signature line ({@code -- }) ends the form.
 */
public final class EmailFormReader implements AlertReader {

    private static final String SUBJECT = "subject";

    @Override
    public OriginalFormat format() {
        return OriginalFormat.EMAIL_FORM;
    }

    /**
     * Reads a form stored on its own (a saved body, {@code convert}): the bytes are decoded by the
     * transport's charset or the office's default, and a {@code Subject:} line stands for the mail subject.
     */
    @Override
    public void read(InputStream in, ReadContext ctx, Consumer<Draft> sink) throws UnreadableInputException {
        TextDecoding.Decoded text = TextDecoding.readDocument(in, ctx, false);
        sink.accept(parse(text.text(), null, true, ctx, text.declaredLabel()));
    }

    /**
     * Reads the form of a mail the channel has already decoded; the subject is the headline unless
     * the form gives a {@code Headline}. The charset the MIME part declared ({@code ctx.declaredCharset()})
     * is kept in the provenance.
     */
    public Draft readForm(String text, String subject, ReadContext ctx) {
        String label = ctx.declaredCharset() == null ? null : ctx.declaredCharset().name();
        return parse(text == null ? "" : text, subject, false, ctx, label);
    }

    private Draft parse(String text, String mailSubject, boolean subjectKey, ReadContext ctx, String declaredLabel) {
        FlatFields.Form form = new FlatFields.Form();
        Map<Key, Integer> seen = new EnumMap<>(Key.class);
        Value current = null;     // the value continuation lines extend
        boolean ignoring = false; // continuation lines of a key already reported as wrong
        Value subject = null;
        int lineNo = 0;
        int from = 0;
        int n = text.length();
        while (from < n) {
            int end = from;
            while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            String line = text.substring(from, end);
            from = end < n && text.charAt(end) == '\r' && end + 1 < n && text.charAt(end + 1) == '\n' ? end + 2 : end + 1;
            lineNo++;

            if (line.stripTrailing().equals("--")) {
                break; // "-- " is the signature separator; what follows is not the form
            }
            if (line.isBlank()) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                if (current != null) {
                    current.text.append(current.joiner).append(line.strip());
                } else if (!ignoring) {
                    form.problem("", "not a 'Key: Value' line (a continuation with nothing to continue)",
                            Position.line(lineNo));
                }
                continue;
            }
            current = finish(current, form);
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).strip();
            if (!isKeyName(name)) {
                form.problem("", "not a 'Key: Value' line: '" + abbreviate(line) + "'", Position.line(lineNo));
                ignoring = true;
                continue;
            }
            int valueStart = colon + 1;
            while (valueStart < line.length() && Character.isWhitespace(line.charAt(valueStart))) {
                valueStart++;
            }
            Position at = new Position(lineNo, valueStart + 1);
            String value = line.substring(valueStart);
            ignoring = false;
            if (subjectKey && name.equalsIgnoreCase(SUBJECT) && FlatFields.key(name).isEmpty()) {
                if (subject != null) {
                    form.problem("headline", "Subject given twice (first on line " + subject.at.line() + ")", at);
                    ignoring = true;
                } else {
                    subject = new Value(null, value, at, " "); // a subject is one line, as mail unfolds it
                    current = subject;
                }
                continue;
            }
            Key key = FlatFields.key(name).orElse(null);
            if (key == null) {
                form.problem("", "unknown key '" + name + "' (known: " + FlatFields.knownKeys()
                        + (subjectKey ? ", Subject" : "") + ")", at);
                ignoring = true;
                continue;
            }
            Integer first = seen.putIfAbsent(key, lineNo);
            if (first != null) {
                form.problem(key.label(), key.label() + " given twice (first on line " + first + ")", at);
                ignoring = true;
                continue;
            }
            current = new Value(key, value, at, "\n");
        }
        finish(current, form);

        if (!form.has(Key.HEADLINE)) {
            if (subject != null) {
                form.set(Key.HEADLINE, decodeEncodedWords(subject.text.toString()), subject.at);
            } else if (mailSubject != null) {
                form.set(Key.HEADLINE, mailSubject, Position.UNKNOWN);
            }
        }
        return form.toDraft(ctx, OriginalFormat.EMAIL_FORM, ctx.sourceName(), Position.line(1), declaredLabel);
    }

    /**
     * A {@code Subject:} copied from a mail keeps its RFC 2047 encoded-words ({@code =?UTF-8?B?...?=}): they are
     * decoded as a mail reader would. Text that is no valid encoded-word stays as written.
     */
    static String decodeEncodedWords(String subject) {
        if (!subject.contains("=?")) {
            return subject;
        }
        try {
            return jakarta.mail.internet.MimeUtility.decodeText(subject);
        } catch (java.io.UnsupportedEncodingException | RuntimeException e) {
            return subject;
        }
    }

    /** Sets the value being read (with its continuation lines) on the form; the subject waits for the end. */
    private static Value finish(Value value, FlatFields.Form form) {
        if (value != null && value.key != null) {
            form.set(value.key, value.text.toString(), value.at);
        }
        return null;
    }

    /** A key is one word: letters, digits, '-' or '_' (so a sentence with a colon is not taken for one). */
    private static boolean isKeyName(String name) {
        if (name.isEmpty() || !Character.isLetter(name.codePointAt(0))) {
            return false;
        }
        return name.codePoints().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_'
                || Character.getType(c) == Character.NON_SPACING_MARK || Character.getType(c) == Character.COMBINING_SPACING_MARK);
    }

    private static String abbreviate(String line) {
        String s = line.strip();
        return s.codePointCount(0, s.length()) <= 60 ? s : s.substring(0, s.offsetByCodePoints(0, 57)) + "...";
    }

    /** A value being read: its key (null for the subject), text so far, where it began, how lines join. */
    private static final class Value {
        final Key key;
        final StringBuilder text;
        final Position at;
        final String joiner;

        Value(Key key, String first, Position at, String joiner) {
            this.key = key;
            this.text = new StringBuilder(first);
            this.at = at;
            this.joiner = joiner;
        }
    }
}
