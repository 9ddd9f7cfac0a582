package org.blohub.normalize.xml;

import org.blohub.alert.Alert;
import org.blohub.alert.Alert.Area;
import org.blohub.alert.Alert.Attachment;
import org.blohub.alert.Alert.Category;
import org.blohub.alert.Alert.Certainty;
import org.blohub.alert.Alert.Channel;
import org.blohub.alert.Alert.Grading;
import org.blohub.alert.Alert.HandlingCode;
import org.blohub.alert.Alert.MsgType;
import org.blohub.alert.Alert.OriginalFormat;
import org.blohub.alert.Alert.Provenance;
import org.blohub.alert.Alert.Reference;
import org.blohub.alert.Alert.Severity;
import org.blohub.alert.Alert.Status;
import org.blohub.alert.Alert.Subject;
import org.blohub.alert.Alert.SubjectType;
import org.blohub.alert.Alert.Translation;
import org.blohub.alert.Alert.Urgency;
import org.blohub.alert.Tlp;
import org.blohub.normalize.InputLimits;
import org.blohub.normalize.ReadContext;
import org.blohub.office.OfficeRegistry;

import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;

/** Alerts with every field filled, in the languages of the Mekong BLOs, and other test helpers. */
final class SampleAlerts {

    private SampleAlerts() {
    }

    /** One full alert per office language: office, language, sentAt, headline, description, area, country. */
    record Sample(String office, String language, String sentAt, String headline, String description,
                  String areaDesc, String country) {
    }

    static final List<Sample> SAMPLES = List.of(
            new Sample("VN-LAOCAI", "vi", "2024-03-05T08:15:00+07:00",
                    "Phát hiện xe tải chở ma túy tại cửa khẩu Lào Cai",
                    "Lực lượng biên phòng đã bắt giữ tài xế Nguyễn Văn A.\r\nHàng hóa: 12,5 kg heroin <đóng gói> & giấu trong thùng xe.",
                    "Cửa khẩu quốc tế Lào Cai", "VN"),
            new Sample("TH-CHIANGKHONG", "th", "2024-03-05T09:00:00+07:00",
                    "พบรถบรรทุกลักลอบขนยาเสพติดที่ด่านเชียงของ",
                    "เจ้าหน้าที่ตรวจพบยาบ้า ๒๐๐,๐๐๐ เม็ด\nซุกซ่อนในรถบรรทุกสินค้าเกษตร",
                    "ด่านศุลกากรเชียงของ", "TH"),
            new Sample("LA-HUAYXAI", "lo", "2024-03-05T10:30:00+07:00",
                    "ພົບລົດບັນທຸກລັກລອບຂົນຢາເສບຕິດຢູ່ດ່ານຫ້ວຍຊາຍ",
                    "ເຈົ້າໜ້າທີ່ກວດພົບຢາບ້າ ຈໍານວນຫຼາຍ\tໃນລົດບັນທຸກ",
                    "ດ່ານສາກົນຫ້ວຍຊາຍ", "LA"),
            new Sample("KH-POIPET", "km", "2024-03-05T11:45:30+07:00",
                    "រកឃើញរថយន្តដឹកគ្រឿងញៀននៅច្រកព្រំដែនប៉ោយប៉ែត",
                    "សមត្ថកិច្ចបានឃាត់ខ្លួនអ្នកបើកបរ ]]> និងរឹបអូសគ្រឿងញៀន",
                    "ច្រកព្រំដែនអន្តរជាតិប៉ោយប៉ែត", "KH"),
            new Sample("MM-TACHILEIK", "my", "2024-03-05T08:45:00+06:30",
                    "တာချီလိတ်နယ်စပ်ဂိတ်တွင် မူးယစ်ဆေးဝါးတင်ကား တွေ့ရှိ",
                    "ယာဉ်မောင်းကို ဖမ်းဆီးထားပြီး \"ယာဘ\" ဆေးပြား အများအပြား သိမ်းဆည်း",
                    "တာချီလိတ် နယ်စပ်ဂိတ်", "MM"),
            new Sample("CN-MOHAN", "zh-Hans", "2024-03-05T10:00:00.123+08:00",
                    "磨憨口岸查获运毒货车",
                    "边防检查站查获冰毒 12.5 公斤，司机朱镕已被控制。𠀋 (扩展字符)",
                    "磨憨口岸", "CN"));

    /** An alert with every field of DESIGN §4 filled, for the sample's office and language. */
    static Alert full(Sample s) {
        return new Alert(
                Alert.SCHEMA_VERSION,
                "3f1c2a9e-7b4d-4c1e-9a2b-5d6e7f809a1b",
                s.office() + "/2024/0042",
                s.office(),
                OffsetDateTime.parse(s.sentAt()),
                OffsetDateTime.parse("2024-03-05T01:20:05.250Z"),
                Status.Actual,
                MsgType.Update,
                List.of(new Reference(s.office(), s.office() + "/2024/0041"), new Reference("VN-LAOCAI", "LC-17")),
                List.of(Category.DRUG_TRAFFICKING, Category.PRECURSOR_CHEMICALS, Category.OTHER),
                Urgency.Immediate,
                Severity.Severe,
                Certainty.Observed,
                s.language(),
                s.headline(),
                s.description(),
                List.of(new Translation("en", "Drug truck found at the border crossing", "Driver detained.\nCargo seized."),
                        new Translation("vi", "Phát hiện xe tải chở ma túy", null)),
                List.of(new Area(s.areaDesc(), s.country(), "VNLCA", 22.5036, 103.9614,
                                "22.50,103.95 22.51,103.97 22.49,103.98 22.50,103.95", null),
                        new Area("Second area", "LA", null, -0.5, 100.0, null, "22.5,103.9 2.5")),
                List.of("LA", "TH", "CN"),
                List.of(new Subject(SubjectType.PERSON, "Nguyễn Văn A", "VN", "B1234567", null, null),
                        new Subject(SubjectType.VEHICLE, "24C-123.45", "VN", "24C-123.45", null, null),
                        new Subject(SubjectType.COMMODITY, "methamphetamine", null, null, new BigDecimal("12.50"), "kg"),
                        new Subject(SubjectType.COMMODITY, "yaba tablets", null, null, new BigDecimal("200000"), "tablets"),
                        new Subject(SubjectType.COMMODITY, "precursor", null, null, new BigDecimal("1E+3"), "l")),
                List.of(new Attachment("photo-1.jpg", "image/jpeg", 2_345_678L,
                                "a3f5c2d1e4b6a7980c1d2e3f4a5b6c7d8e9f00112233445566778899aabbccdd"),
                        new Attachment("ảnh xe.png", "image/png", 0L,
                                "0000000000000000000000000000000000000000000000000000000000000000")),
                Tlp.AMBER_STRICT,
                List.of(HandlingCode.H1, HandlingCode.H3),
                new Grading("B", 2),
                List.of("LA-CUSTOMS", "TH-ONCB"),
                new Provenance(Channel.JMS, OriginalFormat.JSON, "ID:jms-42", "UTF-8",
                        "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100", "cap-sender@blo", "CAP-ID-1"));
    }

    static ReadContext context() {
        return context(null, InputLimits.DEFAULT);
    }

    static ReadContext context(Charset declared, InputLimits limits) {
        return new ReadContext("test.xml", null, new OfficeRegistry(List.of()), declared, limits);
    }
}
