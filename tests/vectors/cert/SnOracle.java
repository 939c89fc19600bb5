// Independent oracle for Alipay certificate serial numbers: the algorithm of Alipay's Java SDK
// (com.alipay.api.internal.util.AntCertificationUtil.getCertSN / getRootCertSN), run on the JDK's
// own X.509 parser and X500Principal.getName(). Used only by generate.py, never by the tests.
//
//   java SnOracle.java sn FILE    -> one line per certificate in FILE:
//                                    base64(getName()) TAB serial TAB sigAlgOID TAB SN
//   java SnOracle.java root FILE  -> the root SN of the bundle in FILE (empty line when none)
//
// The one deliberate difference from the SDK: the string is hashed as UTF-8 (the SDK uses the
// platform default charset, UTF-8 on any modern server; Alipay's Node and .NET SDKs use UTF-8).

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

public class SnOracle {
    static String md5Hex(String s) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        byte[] d = md.digest(s.getBytes(StandardCharsets.UTF_8));
        String hex = new BigInteger(1, d).toString(16);
        while (hex.length() < 32) hex = "0" + hex; // the SDK's fillMD5
        return hex;
    }

    static String certSn(X509Certificate c) throws Exception {
        return md5Hex(c.getIssuerX500Principal().getName() + c.getSerialNumber());
    }

    public static void main(String[] args) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        String text = new String(Files.readAllBytes(Paths.get(args[1])), StandardCharsets.US_ASCII);
        // Block by block: the plain JDK (no BouncyCastle, unlike Alipay's SDK) cannot parse an
        // SM2 certificate. Such a block is never an RSA one, so skipping it leaves the SN alone.
        List<X509Certificate> list = new ArrayList<>();
        Matcher m = Pattern.compile("-----BEGIN CERTIFICATE-----[^-]*-----END CERTIFICATE-----").matcher(text);
        while (m.find()) {
            try {
                list.add((X509Certificate) cf.generateCertificate(
                    new ByteArrayInputStream(m.group().getBytes(StandardCharsets.US_ASCII))));
            } catch (Exception e) {
                System.err.println("skipped an unparseable certificate: " + e.getMessage());
            }
        }
        StringBuilder out = new StringBuilder();
        if (args[0].equals("sn")) {
            for (X509Certificate c : list) {
                // The name in base64: a value may hold tabs or newlines.
                out.append(Base64.getEncoder().encodeToString(
                        c.getIssuerX500Principal().getName().getBytes(StandardCharsets.UTF_8)))
                   .append('\t')
                   .append(c.getSerialNumber()).append('\t')
                   .append(c.getSigAlgOID()).append('\t')
                   .append(certSn(c)).append('\n');
            }
        } else {
            List<String> sns = new ArrayList<>();
            for (X509Certificate c : list) {
                if (c.getSigAlgOID().startsWith("1.2.840.113549.1.1")) sns.add(certSn(c));
            }
            out.append(String.join("_", sns)).append('\n');
        }
        System.out.write(out.toString().getBytes(StandardCharsets.UTF_8));
        System.out.flush();
    }
}
