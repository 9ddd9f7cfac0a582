package org.blohub;

import org.blohub.office.Office;
import org.blohub.office.OfficeRegistry;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;

/** Offices for unit tests that need no config directory. */
public final class TestOffices {

    public static final Office YANGON = new Office("MM-TACHILEIK", "MM", "Tachileik BLO", ZoneId.of("Asia/Yangon"), "my",
            StandardCharsets.UTF_8, null, List.of(), "mm-tachileik");
    public static final Office LAOCAI = new Office("VN-LAOCAI", "VN", "Lao Cai BLO", ZoneId.of("Asia/Ho_Chi_Minh"), "vi",
            StandardCharsets.UTF_8, null, List.of(), "vn-laocai");
    public static final OfficeRegistry OFFICES = new OfficeRegistry(List.of(YANGON, LAOCAI));

    private TestOffices() {
    }
}
