// Requests each URL given as an argument with HttpURLConnection and the default ProxySelector
// (which reads system properties, never the environment). Prints one JSON line per URL.
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

public class JavaClient {
    public static void main(String[] args) {
        for (String url : args) {
            String field;
            try {
                HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
                connection.setConnectTimeout(5000);
                connection.setReadTimeout(5000);
                try (InputStream in = connection.getInputStream()) {
                    field = "\"body\":" + quote(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            } catch (Exception error) {
                field = "\"stage\":\"request\",\"error\":" + quote(error.toString());
            }
            System.out.println("{\"url\":" + quote(url) + "," + field + "}");
        }
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
