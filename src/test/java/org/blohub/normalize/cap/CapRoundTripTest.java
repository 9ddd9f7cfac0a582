package org.blohub.normalize.cap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.blohub.alert.Alert;
import org.blohub.alert.Alert.Area;
import org.blohub.alert.Alert.Attachment;
import org.blohub.alert.Alert.Category;
import org.blohub.alert.Alert.Grading;
import org.blohub.alert.Alert.HandlingCode;
import org.blohub.alert.Alert.Provenance;
import org.blohub.alert.Alert.Reference;
import org.blohub.alert.Alert.Subject;
import org.blohub.alert.Alert.SubjectType;
import org.blohub.alert.Alert.Translation;
import org.blohub.alert.AlertJson;
import org.blohub.alert.Tlp;
import org.blohub.normalize.Draft;
import org.blohub.office.OfficeRegistry;
import org.blohub.render.CapRenderer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.blohub.normalize.cap.CapTestSupport.office;

/** json -> cap -> json keeps every field, in every script of the region, and every rendering is valid CAP 1.2. */
class CapRoundTripTest {

    private static final OfficeRegistry OFFICES = new OfficeRegistry(List.of(
            CapTestSupport.LAO_CAI,
            office("TH-CHIANGKHONG", "TH", "BLO Chiang Khong", "Asia/Bangkok", "th", "TIS-620"),
            office("LA-BOTEN", "LA", "BLO Boten", "Asia/Vientiane", "lo", "UTF-8"),
            office("KH-POIPET", "KH", "BLO Poipet", "Asia/Phnom_Penh", "km", "UTF-8"),
            office("MM-TACHILEIK", "MM", "BLO Tachileik", "Asia/Yangon", "my", "UTF-8"),
            office("CN-MOHAN", "CN", "BLO Mohan", "Asia/Shanghai", "zh-Hans", "GBK")));

    /** Headline and description of the same seizure in each language. */
    private static final Map<String, String[]> TEXT = Map.of(
            "vi", new String[]{"Phát hiện xe tải chở gỗ trắc qua cửa khẩu Lào Cai",
                    "Đội kiểm soát phát hiện xe tải biển số 24C-123.45 chở 2,5 tấn gỗ trắc không có giấy tờ hợp lệ."},
            "th", new String[]{"พบรถบรรทุกลักลอบขนไม้พะยูงผ่านด่านเชียงของ",
                    "เจ้าหน้าที่ศุลกากรตรวจพบยาบ้า ๒๐๐,๐๐๐ เม็ด ซุกซ่อนในรถบรรทุกผลไม้"},
            "lo", new String[]{"ພົບລົດບັນທຸກລັກລອບຂົນໄມ້ຂະຍຸງ",
                    "ເຈົ້າໜ້າທີ່ພາສີກວດພົບຢາບ້າ ເຊື່ອງໄວ້ໃນລົດບັນທຸກໝາກໄມ້"},
            "km", new String[]{"រកឃើញឡានដឹកឈើប្រណីតខុសច្បាប់",
                    "មន្ត្រីគយបានរកឃើញគ្រឿងញៀនលាក់ក្នុងឡានដឹកផ្លែឈើ"},
            "my", new String[]{"တရားမဝင် သစ်တင်ကား ဖမ်းဆီးရမိ",
                    "အကောက်ခွန်အရာရှိများက သစ်သီးတင်ကားထဲတွင် ဝှက်ထားသော မူးယစ်ဆေးဝါးများကို တွေ့ရှိခဲ့သည်။"},
            "zh-Hans", new String[]{"在边境口岸查获非法运输红木的卡车",
                    "海关人员在一辆水果卡车中查获20万粒冰毒片。𠀀𡈽"},
            "en", new String[]{"Truck smuggling rosewood seized at the border",
                    "Officers found 200,000 methamphetamine tablets hidden in a fruit truck."});

    static Stream<Alert> alerts() {
        return Stream.of(
                // Vietnamese, everything filled, mixed Security/Env categories, text that XML must escape
                alert("VN-LAOCAI", "vi", OffsetDateTime.parse("2024-03-01T09:15:30+07:00"),
                        List.of("lo", "zh-Hans", "en"), Tlp.AMBER_STRICT, List.of("VN-DRUG", "CN-FOCAL"),
                        List.of(Category.TIMBER_TRAFFICKING, Category.DRUG_TRAFFICKING), true,
                        " <b>&amp;</b> ]]> \"quoted\" 'single'\r\nsecond line\n\tthird\n"),
                // Thai, fractions of a second, TLP:RED with named addressees
                alert("TH-CHIANGKHONG", "th", OffsetDateTime.parse("2024-03-02T14:05:06.250+07:00"),
                        List.of("lo", "my", "en"), Tlp.RED, List.of("TH-FOCAL", "LA-DRUG"),
                        List.of(Category.DRUG_TRAFFICKING, Category.PRECURSOR_CHEMICALS), true, ""),
                // Lao, TLP:GREEN
                alert("LA-BOTEN", "lo", OffsetDateTime.parse("2024-03-03T07:00:00+07:00"),
                        List.of("zh-Hans", "vi", "th"), Tlp.GREEN, List.of(),
                        List.of(Category.WILDLIFE_TRAFFICKING), true, ""),
                // Khmer, sent in UTC (CAP writes -00:00), public
                alert("KH-POIPET", "km", OffsetDateTime.parse("2024-03-04T01:02:03Z"),
                        List.of("th", "en"), Tlp.CLEAR, List.of(),
                        List.of(Category.TRAFFICKING_IN_PERSONS, Category.MIGRANT_SMUGGLING), true, ""),
                // Myanmar, +06:30 (Asia/Yangon), TLP:AMBER
                alert("MM-TACHILEIK", "my", OffsetDateTime.of(2024, 3, 5, 22, 45, 0, 0,
                                ZoneId.of("Asia/Yangon").getRules().getOffset(java.time.Instant.parse("2024-03-05T16:15:00Z"))),
                        List.of("th", "zh-Hans", "en"), Tlp.AMBER, List.of("MM-DRUG"),
                        List.of(Category.DRUG_TRAFFICKING), true, ""),
                // Chinese, translations without headlines, no headline, few optional fields
                alert("CN-MOHAN", "zh-Hans", OffsetDateTime.parse("2024-03-06T18:30:00.123456789+08:00"),
                        List.of("lo", "vi", "my", "km"), Tlp.AMBER, List.of(),
                        List.of(Category.ENVIRONMENTAL_CRIME, Category.CORRUPTION), false, ""));
    }

    private static Alert alert(String office, String language, OffsetDateTime sentAt, List<String> translations,
                               Tlp tlp, List<String> addressees, List<Category> categories, boolean full,
                               String extraDescription) {
        String country = office.substring(0, 2);
        List<Translation> ts = translations.stream()
                .map(l -> new Translation(l, full ? TEXT.get(l)[0] : null, TEXT.get(l)[1])).toList();
        List<Area> areas = full
                ? List.of(new Area(TEXT.get(language)[0].substring(0, 10) + " – cửa khẩu", country, country + " ABC",
                        22.5034, 103.9612, "22.50,103.95 22.51,103.97 22.49,103.98 22.50,103.95", "22.5034,103.9612 1.5"),
                new Area("Hà Khẩu / 河口", "CN", null, null, null, null, "22.51,103.96 0.8"),
                new Area("Bờ sông Nậm Thi", country, null, 22.49, null, null, null))
                : List.of(new Area("边境口岸", country, null, null, null, null, null));
        return new Alert("1.0", "6f1c2a9e-3b4d-4e5f-8a7b-" + Math.abs(office.hashCode()), office + "/2024/" + language + " 017",
                office, sentAt, OffsetDateTime.parse("2024-03-06T11:30:00.5Z"),
                Alert.Status.Actual, full ? Alert.MsgType.Update : Alert.MsgType.Alert,
                full ? List.of(new Reference(office, "2024/001"), new Reference("LA-BOTEN", "BT 2024,77")) : List.of(),
                categories, Alert.Urgency.Immediate, Alert.Severity.Severe, Alert.Certainty.Observed,
                language, full ? TEXT.get(language)[0] : null, TEXT.get(language)[1] + extraDescription,
                ts, areas,
                full ? List.of("LA", "CN") : List.of(),
                full ? List.of(new Subject(SubjectType.PERSON, "Nguyễn Văn Á / สมชาย ใจดี", "VN", "B1234567", null, null),
                        new Subject(SubjectType.VEHICLE, "24C-123.45", "VN", null, null, null),
                        new Subject(SubjectType.COMMODITY, "ไม้พะยูง rosewood", null, null, new BigDecimal("2.5"), "t"))
                        : List.of(),
                full ? List.of(new Attachment("ảnh_xe_tải.jpg", "image/jpeg", 482113L,
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")) : List.of(),
                tlp, full ? List.of(HandlingCode.H1, HandlingCode.H2) : List.of(),
                full ? new Grading("B", 2) : null, addressees,
                new Provenance(Alert.Channel.SFTP, Alert.OriginalFormat.CSV, "batch-17.csv#3",
                        full ? "windows-874" : null, "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
                        null, null));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("alerts")
    void everyFieldSurvivesCapAndBack(Alert original) throws Exception {
        String cap = new CapRenderer().render(original);
        CapTestSupport.assertValidCap12(cap);

        Draft draft = CapTestSupport.readOne(cap, CapTestSupport.context(null, OFFICES));

        assertThat(draft.problems()).isEmpty();
        ObjectNode expected = AlertJson.toTree(original);
        ObjectNode actual = draft.fields();
        assertThat(names(actual)).isEqualTo(names(expected));
        expected.fieldNames().forEachRemaining(name -> {
            JsonNode e = expected.get(name);
            JsonNode a = actual.get(name);
            assertThat(a.equals(CapTestSupport.SAME_VALUE, e)).as("%s: read back %s, expected %s", name, a, e).isTrue();
        });
        // the alert as a whole binds back to the same alert
        assertThat(AlertJson.fromTree(actual)).usingRecursiveComparison()
                .withComparatorForType(java.time.OffsetDateTime::compareTo, OffsetDateTime.class)
                .withComparatorForType(Double::compare, Double.class)
                .isEqualTo(original);
        // dates with an offset other than UTC come back exactly as written
        if (original.sentAt().getOffset().getTotalSeconds() != 0) {
            assertThat(actual.get("sentAt").asText()).isEqualTo(expected.get("sentAt").asText());
        }
        assertThat(actual.get("receivedAt").asText()).isEqualTo(expected.get("receivedAt").asText());
        // every field set has a position in the CAP text
        assertThat(draft.where().find("/description").line()).isGreaterThan(1);
    }

    private static TreeSet<String> names(ObjectNode node) {
        TreeSet<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
