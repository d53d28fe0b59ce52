// Registers the bot with Azure Bot Service and connects it to Microsoft Teams.
@maxLength(20)
@minLength(4)
param resourceBaseName string
param botServiceName string
param botAadAppClientId string
param botAppDomain string
param botDisplayName string
param botServiceSku string = 'F0'

resource botService 'Microsoft.BotService/botServices@2021-03-01' = {
  kind: 'azurebot'
  location: 'global'
  name: botServiceName
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${botAppDomain}/api/messages'
    msaAppId: botAadAppClientId
    msaAppType: 'MultiTenant'
  }
  sku: { name: botServiceSku }
  tags: { resourceBaseName: resourceBaseName }
}

resource botServiceMsTeamsChannel 'Microsoft.BotService/botServices/channels@2021-03-01' = {
  parent: botService
  location: 'global'
  name: 'MsTeamsChannel'
  properties: { channelName: 'MsTeamsChannel' }
}
