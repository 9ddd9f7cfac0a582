package org.blohub;

import org.blohub.cli.ConvertCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import java.util.Arrays;

/**
 * BLO Hub. {@code java -jar blo-hub.jar} runs the hub; {@code java -jar blo-hub.jar convert FILE ...}
 * converts and checks one input offline, without starting anything (no broker, no ports).
 */
@SpringBootApplication
public class BloHubApplication {

    public static void main(String[] args) {
        // first, before anything creates a file: everything under data/ owner-only (DataDirectory warns if it cannot)
        OwnerOnlyFiles.restrictUmask();
        if (args.length > 0 && args[0].equals("convert")) {
            System.exit(new ConvertCommand().run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        SpringApplication.run(BloHubApplication.class, args);
    }
}
