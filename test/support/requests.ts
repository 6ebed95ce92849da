import { graphql } from '../generated';

/* Request operations shared by the request test files. */

export const REQUEST_APP = graphql(`
  mutation RequestsRequestApp($input: RequestAppInput!) {
    requestApp(input: $input) {
      __typename
      ... on RequestAppPayload {
        request {
          id
          status
          currentStepNumber
          currentApprovers {
            email
          }
        }
      }
      ... on Error {
        code
        message
      }
      ... on InvalidInputError {
        field
      }
    }
  }
`);

export const APPROVE = graphql(`
  mutation RequestsApprove($input: ApproveRequestInput!) {
    approveRequest(input: $input) {
      __typename
      ... on ApproveRequestPayload {
        request {
          id
          status
          currentStepNumber
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const DENY = graphql(`
  mutation RequestsDeny($input: DenyRequestInput!) {
    denyRequest(input: $input) {
      __typename
      ... on DenyRequestPayload {
        request {
          id
          status
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const REQUEST_DETAILS = graphql(`
  query RequestsDetails($id: ID!) {
    node(id: $id) {
      ... on AppRequest {
        id
        status
        currentStepNumber
        escalated
        endReason
        resolvedAt
        currentApprovers {
          email
        }
        decisions {
          step
          decision
          comment
          approver {
            email
          }
        }
        timeline {
          type
          actor {
            email
          }
          data
        }
      }
    }
  }
`);

export const APPROVAL_QUEUE = graphql(`
  query RequestsApprovalQueue {
    approvalQueue(first: 50) {
      totalCount
      edges {
        node {
          id
          app {
            label
          }
        }
      }
    }
  }
`);
