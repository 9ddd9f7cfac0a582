package org.blohub.cli;

import org.blohub.alert.Alert.Channel;
import org.blohub.alert.CleanText;
import org.blohub.normalize.AlertIntake;
import org.blohub.normalize.Normalizer;
import org.blohub.normalize.Origin;
import org.blohub.normalize.Outcome;
import org.blohub.normalize.Position;
import org.blohub.normalize.Problem;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.Readers;
import org.blohub.normalize.TextDecoding;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.office.ConfigException;
import org.blohub.office.Office;
import org.blohub.office.OfficeRegistry;
import org.blohub.render.AlertRenderer;
import org.blohub.render.Renderers;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code convert FILE [--office ID] [--to json|xml|cap] [--charset NAME] [--config DIR]}: reads one
 * input offline exactly as the hub would, prints each alert's rendering to stdout and each problem
 * to stderr as {@code FILE:LINE[:COL]: error: FIELD: message}, with every control character escaped. Exit 0 when
 * every alert is valid, 1 when any is not (the valid ones are still printed), 2 for a usage error, an unreadable
 * file or an input in no alert format. No stack trace reaches the user: an unexpected fault is one error line.
 */
public final class ConvertCommand {

    static final String USAGE = "usage: convert FILE [--office ID] [--to json|xml|cap] [--charset NAME] [--config DIR]";

    public int run(String[] args, PrintStream stdout, PrintStream stderr) {
        PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        try {
            return convert(args, stdout, err);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // a fault of the tool, not of the input: one line, never a stack trace
            err.println("convert: error: internal error (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage())) + ")");
            return 2;
        }
    }

    private int convert(String[] args, PrintStream stdout, PrintStream err) {
        String file = null;
        String officeId = null;
        String to = "json";
        String charsetName = null;
        Path configDir = Path.of("config");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                if (i + 1 >= args.length) {
                    return usage(err, a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--office" -> officeId = v;
                    case "--to" -> to = v;
                    case "--charset" -> charsetName = v;
                    case "--config" -> configDir = Path.of(v);
                    default -> {
                        return usage(err, "unknown option " + oneLine(a));
                    }
                }
            } else if (file == null) {
                file = a;
            } else {
                return usage(err, "only one FILE");
            }
        }
        if (file == null) {
            return usage(err, "FILE is missing");
        }
        AlertRenderer renderer = Renderers.named(to).orElse(null);
        if (renderer == null) {
            return usage(err, "--to must be one of " + String.join(", ", Renderers.names()));
        }
        Charset charset = null;
        if (charsetName != null) {
            charset = TextDecoding.declaredCharset(charsetName).orElse(null);
            if (charset == null) {
                return usage(err, "unknown charset " + oneLine(charsetName));
            }
        }
        String shown = oneLine(file);
        OfficeRegistry offices;
        try {
            offices = OfficeRegistry.load(configDir);
        } catch (ConfigException e) {
            err.println("error: " + oneLine(e.getMessage()));
            return 2;
        }
        Office office = null;
        if (officeId != null) {
            office = offices.find(officeId).orElse(null);
            if (office == null) {
                err.println(shown + ": error: office: unknown office '" + oneLine(officeId) + "' (not in "
                        + configDir.resolve(OfficeRegistry.FILE) + ")");
                return 2;
            }
        }
        Path path;
        try {
            path = Path.of(file);
        } catch (java.nio.file.InvalidPathException e) {
            err.println(shown + ": error: cannot read file: not a valid path");
            return 2;
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            err.println(shown + ": error: cannot read file");
            return 2;
        }
        String name = path.getFileName().toString();
        ReadContext ctx = new ReadContext(name, office, offices, charset, null);
        AlertIntake intake = new AlertIntake(Readers.all(), new Normalizer());
        OutputStream raw = new BufferedOutputStream(stdout, 64 * 1024);
        PrintStream out = new PrintStream(raw, false, StandardCharsets.UTF_8);
        boolean[] invalid = {false};
        try {
            Origin origin = new Origin(Channel.FILE, name, sha256(path), true);
            try (InputStream in = Files.newInputStream(path)) {
                intake.read(in, ctx, origin, outcome -> {
                    if (outcome instanceof Outcome.Accepted a) {
                        String rendering;
                        try {
                            rendering = renderer.render(a.alert());
                        } catch (RuntimeException e) {
                            invalid[0] = true;
                            out.flush();
                            err.println(shown + ": error: " + renderer.name() + ": alert '"
                                    + oneLine(a.alert().sourceRef()) + "' cannot be rendered: "
                                    + oneLine(e.getMessage()));
                            return;
                        }
                        out.print(rendering);
                        out.print('\n');
                    } else if (outcome instanceof Outcome.Rejected r) {
                        invalid[0] = true;
                        out.flush();
                        for (Problem p : r.problems()) {
                            err.println(line(shown, p.at().known() ? p.at() : r.at(), p.text()));
                        }
                    }
                });
            }
        } catch (UnreadableInputException e) {
            out.flush();
            err.println(line(shown, e.at(), e.getMessage()));
            // not an alert format at all, or the file cannot be read: the input is unusable, not an invalid alert
            return e.reason() == UnreadableInputException.Reason.UNKNOWN_FORMAT
                    || e.reason() == UnreadableInputException.Reason.IO ? 2 : 1;
        } catch (IOException e) {
            out.flush();
            err.println(shown + ": error: cannot read file: " + oneLine(e.getMessage()));
            return 2;
        }
        out.flush();
        return invalid[0] ? 1 : 0;
    }

    /** {@code FILE:LINE[:COL]: error: FIELD: message}, on one line whatever the input held. */
    private static String line(String file, Position at, String text) {
        return file + (at.known() ? ":" + at : "") + ": error: " + oneLine(text);
    }

    /**
     * Text from the input as one printable line: escaped ({@link CleanText#escape}) when it holds a control character
     * or a line separator, else as it is (text already escaped upstream is not escaped twice).
     */
    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || CleanText.forbidden(c) || c == '\u2028' || c == '\u2029') {
                return CleanText.escape(s);
            }
        }
        return s;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("convert: " + problem);
        err.println(USAGE);
        return 2;
    }

    private static String sha256(Path path) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
