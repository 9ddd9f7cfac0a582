package org.blohub.normalize.flat;

import org.blohub.normalize.Draft;
import org.blohub.normalize.InputLimits;
import org.blohub.normalize.ReadContext;
import org.blohub.office.Office;
import org.blohub.office.OfficeRegistry;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;

/** Offices and contexts the flat-form tests share. */
final class FlatTestSupport {

    static final Office LAO_CAI = new Office("VN-LAOCAI", "VN", "Lào Cai BLO", ZoneId.of("Asia/Ho_Chi_Minh"), "vi",
            StandardCharsets.UTF_8, "CN-HEKOU", List.of("blo@laocai.example"), "vn-laocai");
    static final Office HEKOU = new Office("CN-HEKOU", "CN", "河口 BLO", ZoneId.of("Asia/Shanghai"), "zh-Hans",
            Charset.forName("GBK"), "VN-LAOCAI", List.of(), "cn-hekou");
    static final Office CHIANG_KHONG = new Office("TH-CHIANGKHONG", "TH", "เชียงของ BLO", ZoneId.of("Asia/Bangkok"), "th",
            Charset.forName("windows-874"), "LA-HOUAYXAY", List.of(), "th-chiangkhong");
    static final Office HOUAYXAY = new Office("LA-HOUAYXAY", "LA", "ຫ້ວຍຊາຍ BLO", ZoneId.of("Asia/Vientiane"), "lo",
            StandardCharsets.UTF_8, "TH-CHIANGKHONG", List.of(), "la-houayxay");
    static final Office LAO_BAO = new Office("VN-LAOBAO", "VN", "Lao Bảo BLO", ZoneId.of("Asia/Ho_Chi_Minh"), "vi",
            Charset.forName("windows-1258"), null, List.of(), "vn-laobao");
    static final OfficeRegistry OFFICES = new OfficeRegistry(List.of(LAO_CAI, HEKOU, CHIANG_KHONG, HOUAYXAY, LAO_BAO));

    private FlatTestSupport() {
    }

    /** A context where only the payload names the office. */
    static ReadContext payloadOffice(String source) {
        return new ReadContext(source, null, OFFICES, null, InputLimits.DEFAULT);
    }

    /** A context where the channel names the office (SFTP account, mail sender). */
    static ReadContext channelOffice(String source, Office office, Charset declared) {
        return new ReadContext(source, office, OFFICES, declared, InputLimits.DEFAULT);
    }

    static String text(Draft d, String pointer) {
        return d.fields().at(pointer).asText(null);
    }
}
