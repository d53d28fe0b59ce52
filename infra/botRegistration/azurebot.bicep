// Registers the bot with Azure Bot Service under the app's user-assigned managed identity
// (Azure creates no new multi-tenant bots), and connects it to Microsoft Teams.
@maxLength(20)
@minLength(4)
param resourceBaseName string
param botServiceName string
param botDisplayName string
param botAppDomain string
param botServiceSku string = 'F0'
@description('Client id of the managed identity: the bot id Teams knows')
param identityClientId string
param identityResourceId string
param identityTenantId string

resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  kind: 'azurebot'
  location: 'global'
  name: botServiceName
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${botAppDomain}/api/messages'
    msaAppId: identityClientId
    msaAppType: 'UserAssignedMSI'
    msaAppMSIResourceId: identityResourceId
    msaAppTenantId: identityTenantId
  }
  sku: { name: botServiceSku }
  tags: { resourceBaseName: resourceBaseName }
}

resource botServiceMsTeamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  location: 'global'
  name: 'MsTeamsChannel'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true, acceptedTerms: true }
  }
}
