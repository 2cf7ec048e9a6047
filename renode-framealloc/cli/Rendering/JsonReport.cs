using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RenodeFrameAlloc.Cli.Rendering
{
    // Writes the demo's report as indented JSON with camelCase names; steps are written with
    // their own record's fields (the runtime type), so every number the console shows is there.
    public static class JsonReport
    {
        public static void Write(DemoReport report, string path)
        {
            using var stream = File.Create(path);
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            writer.WriteStartObject();
            writer.WriteNumber("seed", report.Seed);
            writer.WriteBoolean("quick", report.Quick);
            writer.WriteBoolean("allAsExpected", report.AllAsExpected);
            writer.WriteString("plot", report.Plot);
            writer.WritePropertyName("steps");
            writer.WriteStartArray();
            foreach(var step in report.Steps)
            {
                JsonSerializer.Serialize(writer, step, step.GetType(), Options);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        private static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull
        };
    }
}
