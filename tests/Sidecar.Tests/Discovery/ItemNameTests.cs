using System.Text;
using System.Text.Json;
using Sidecar.Discovery.Model;

namespace Sidecar.Tests.Discovery;

public sealed class ItemNameTests
{
    [Theory]
    [InlineData("""{"proxyName":"mysql.abc","proxyConfig":{"remotePort":[1]}}""", "mysql.abc")]
    [InlineData("""{"apiVersion":"v1","metadata":{"uid":"u","name":"frps-a"},"spec":{"bindPort":"x"}}""", "frps-a")]
    [InlineData("""{"name":"plain"}""", "plain")]
    [InlineData("""{"spec":{"name":"deep"},"metadata":{"name":"top"}}""", "top")]
    public void Find_BadItem_NamedForItsWarning(string json, string expected) => Assert.Equal(expected, Find(json));

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("42")]
    [InlineData("""{"metadata":{"name":5}}""")]
    [InlineData("""{"proxyConfig":{"name":"not the item's"}}""")]
    public void Find_NoName_Null(string json) => Assert.Null(Find(json));

    private static string? Find(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return ItemName.Find(reader);
    }
}
